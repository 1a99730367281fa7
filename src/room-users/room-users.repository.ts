import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { USER_CHAT_COLUMNS, userChatJoin } from '../user-chat/user-chat.repository';
import { displayNameOf } from '../users/users.repository';
import { RoomUserView } from './dto/room-user.dto';
import { RoomMute } from './room-mute.entity';
import { RoomUser } from './room-user.entity';

interface RoomUserRow {
  id: string;
  user_id: string | null;
  room_id: string;
  name: string;
  is_online: boolean;
  last_seen: Date | null;
  status: string;
  is_active: boolean;
}

const toView = (row: RoomUserRow): RoomUserView => ({
  id: row.id,
  userId: row.user_id,
  roomId: row.room_id,
  name: row.name,
  isOnline: row.is_online,
  lastSeen: row.last_seen?.toISOString() ?? null,
  status: row.status,
  isActive: row.is_active,
});

/** The ids of room alias `room`'s active members, in the order they joined, for other repositories to embed. */
export const memberIdsOf = (room: string): string =>
  `ARRAY(SELECT ru.user_id FROM room_users ru
          WHERE ru.room_id = ${room}.id AND ru.is_active AND ru.user_id IS NOT NULL
          ORDER BY ru.created, ru.id)`;

/** How many active members room alias `room` has, for other repositories to embed. */
export const memberCountOf = (room: string): string =>
  `(SELECT count(*)::int FROM room_users ru WHERE ru.room_id = ${room}.id AND ru.is_active AND ru.user_id IS NOT NULL)`;

/** The ids of the rooms the user in `user` is an active member of, as a subquery for other repositories to embed. */
export const roomIdsOfMember = (user: string): string =>
  `(SELECT ru.room_id FROM room_users ru WHERE ru.user_id = ${user} AND ru.is_active)`;

/** Whether the user in `user` muted room alias `room`, for other repositories to embed. */
export const isMutedOf = (room: string, user: string): string =>
  `EXISTS (SELECT 1 FROM room_muted_by mb WHERE mb.room_id = ${room}.id AND mb.user_id = ${user})`;

/** Every query of `room_users` and `room_muted_by`. */
@Injectable()
export class RoomUsersRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Room users as the API shows them (name, online, last seen, status), oldest first. */
  async views(condition: 'room' | 'roomAndUser' | 'ids' | 'activeOfUsers', parameters: unknown[]) {
    const where = {
      room: 'ru.room_id = $1',
      roomAndUser: 'ru.room_id = $1 AND ru.user_id = $2',
      ids: 'ru.id = ANY($1)',
      activeOfUsers: 'ru.user_id = ANY($1::uuid[]) AND ru.is_active',
    }[condition];
    const rows = await this.dataSource.query<RoomUserRow[]>(
      `SELECT ru.id, ru.user_id, ru.room_id, ru.is_active,
              COALESCE(${displayNameOf('ru.user_id')}, 'system') AS name,
              ${USER_CHAT_COLUMNS}
         FROM room_users ru
         ${userChatJoin('ru.user_id')}
        WHERE ${where}
        ORDER BY ru.created, ru.id`,
      parameters,
    );
    return rows.map(toView);
  }

  /** `[{id, first_name}]` of the room's active members. */
  names(roomId: string): Promise<{ id: string; first_name: string }[]> {
    return this.dataSource.query<{ id: string; first_name: string }[]>(
      `SELECT u.id, u.first_name FROM room_users ru JOIN users u ON u.id = ru.user_id
        WHERE ru.room_id = $1 AND ru.is_active ORDER BY ru.created, ru.id`,
      [roomId],
    );
  }

  /** The room's active members whose usernames, in lower case, are among `names`: lower-case username → user id. */
  async activeMembersNamed(manager: EntityManager, roomId: string, names: string[]): Promise<Map<string, string>> {
    const rows = await manager.query<{ name: string; user_id: string }[]>(
      `SELECT lower(u.username) AS name, u.id AS user_id
         FROM users u JOIN room_users ru ON ru.user_id = u.id AND ru.room_id = $1 AND ru.is_active
        WHERE lower(u.username) = ANY($2::text[])`,
      [roomId, names],
    );
    return new Map(rows.map((row) => [row.name, row.user_id]));
  }

  find(manager: EntityManager, roomId: string, userId: string): Promise<RoomUser | null> {
    return manager.getRepository(RoomUser).findOneBy({ roomId, userId });
  }

  lock(manager: EntityManager, roomId: string, userId: string): Promise<RoomUser | null> {
    return manager.getRepository(RoomUser).findOne({ where: { roomId, userId }, lock: { mode: 'pessimistic_write' } });
  }

  activeOfRoom(manager: EntityManager, roomId: string): Promise<RoomUser[]> {
    return manager.getRepository(RoomUser).findBy({ roomId, isActive: true });
  }

  /** Inserts an active room user unless the user has one in the room already. */
  async insertIfAbsent(manager: EntityManager, roomId: string, userId: string): Promise<void> {
    await manager
      .createQueryBuilder()
      .insert()
      .into(RoomUser)
      .values({ roomId, userId, isActive: true })
      .orIgnore()
      .execute();
  }

  save(manager: EntityManager, roomUsers: RoomUser | RoomUser[]): Promise<unknown> {
    return manager.getRepository(RoomUser).save(roomUsers as RoomUser[]);
  }

  /** Ids of the rooms each of these users is an active member of; a user of none is absent from the map. */
  async roomIdsOfUsers(userIds: string[]): Promise<Map<string, string[]>> {
    const rows = await this.dataSource.query<{ user_id: string; rooms: string[] }[]>(
      `SELECT user_id, array_agg(room_id) AS rooms FROM room_users
        WHERE is_active AND user_id = ANY($1::uuid[]) GROUP BY user_id`,
      [userIds],
    );
    return new Map(rows.map((row) => [row.user_id, row.rooms]));
  }

  async mute(manager: EntityManager, roomId: string, userId: string): Promise<void> {
    await manager.createQueryBuilder().insert().into(RoomMute).values({ roomId, userId }).orIgnore().execute();
  }

  async unmute(manager: EntityManager, roomId: string, userId: string): Promise<void> {
    const mute = await manager.getRepository(RoomMute).findOneBy({ roomId, userId });
    if (mute) {
      await manager.getRepository(RoomMute).remove(mute);
    }
  }
}
