import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { RoomAccess, RoomAccessService } from '../access/room-access.service';
import type { AuthUser } from '../auth/auth-user';
import { forbidden, invalid, notFound } from '../common/errors/app-error';
import { isId } from '../common/validation/decorators';
import { UsersService } from '../users/users.service';
import {
  AddRoomUserDto,
  mapRoomUser,
  RoomUserDto,
  RoomUserNameDto,
  RoomUserView,
  UpdateRoomUserDto,
} from './dto/room-user.dto';
import { RoomUser } from './room-user.entity';

interface RoomUserRow {
  id: string;
  user_id: string | null;
  room_id: string;
  name: string;
  is_online: boolean;
  is_active: boolean;
}

const toView = (row: RoomUserRow): RoomUserView => ({
  id: row.id,
  userId: row.user_id,
  roomId: row.room_id,
  name: row.name,
  isOnline: row.is_online,
  isActive: row.is_active,
});

function requireMayAdd(auth: AuthUser, access: RoomAccess, userId: string): void {
  const joiningPublicRoom = userId === auth.id && access.isPublic;
  if (!access.isAdmin && !joiningPublicRoom) {
    throw forbidden('Only the room admins may add members');
  }
}

@Injectable()
export class RoomUsersService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly access: RoomAccessService,
    private readonly users: UsersService,
  ) {}

  async list(auth: AuthUser, roomId: string): Promise<RoomUserDto[]> {
    await this.access.requireVisible(auth, roomId);
    const views = await this.loadViews('ru.room_id = $1', [roomId]);
    return views.map((view) => mapRoomUser(view, auth.id));
  }

  async get(auth: AuthUser, roomId: string, userId: string): Promise<RoomUserDto> {
    await this.access.requireVisible(auth, roomId);
    return mapRoomUser(await this.requireView(roomId, userId), auth.id);
  }

  async names(auth: AuthUser, roomId: string): Promise<RoomUserNameDto[]> {
    await this.access.requireVisible(auth, roomId);
    const rows = await this.dataSource.query<RoomUserNameDto[]>(
      `SELECT u.id, u.first_name FROM room_users ru JOIN users u ON u.id = ru.user_id
        WHERE ru.room_id = $1 AND ru.is_active ORDER BY ru.created, ru.id`,
      [roomId],
    );
    return rows.map((row) => ({ id: row.id, first_name: row.first_name }));
  }

  /** Room admins add anyone; anyone may add themselves to a public room. Adding a member again is a no-op. */
  async add(auth: AuthUser, roomId: string, dto: AddRoomUserDto): Promise<RoomUserDto> {
    requireMayAdd(auth, await this.access.requireVisible(auth, roomId), dto.user_id);
    const view = await this.addMember(roomId, dto.user_id, async (manager) =>
      // Checked again holding the room, so that it is neither deleted nor closed before the join commits.
      requireMayAdd(auth, await this.access.requireVisible(auth, roomId, manager, 'keep'), dto.user_id),
    );
    return mapRoomUser(view, auth.id);
  }

  async update(auth: AuthUser, roomId: string, userId: string, dto: UpdateRoomUserDto): Promise<RoomUserDto> {
    await this.access.requireAdmin(auth, roomId);
    await this.setActive(roomId, userId, dto.is_active);
    return mapRoomUser(await this.requireView(roomId, userId), auth.id);
  }

  /** Room admins remove anyone; a member may leave. Their old messages keep their author. */
  async remove(auth: AuthUser, roomId: string, userId: string): Promise<void> {
    const access = await this.access.requireVisible(auth, roomId);
    if (!access.isAdmin && userId !== auth.id) {
      throw forbidden('Only the room admins may remove other members');
    }
    await this.removeMember(roomId, userId);
  }

  /**
   * Makes a user an active member of an existing room, with no check of who asks: `add` checks the
   * caller first; the admin CLI may do anything.
   */
  async addMember(
    roomId: string,
    userId: string,
    recheck: (manager: EntityManager) => Promise<void> = async (manager) => {
      await this.access.requireExists(roomId, manager);
    },
  ): Promise<RoomUserView> {
    // Before the transaction: on the embedded database a query beside an open transaction waits for it.
    if ((await this.users.existingIds([userId])).size === 0) {
      throw invalid('user_id', 'No user with this id');
    }
    await this.dataSource.transaction(async (manager) => {
      await recheck(manager);
      await this.join(manager, roomId, userId);
    });
    return this.requireView(roomId, userId);
  }

  /** Makes a member inactive (their old messages keep their author), with no check of who asks; 404 if never one. */
  async removeMember(roomId: string, userId: string): Promise<void> {
    await this.setActive(roomId, userId, false);
  }

  /** Bulk loading (the CLI's seed): active memberships in one statement; existing ones are left as they are. */
  async insertMany(
    manager: EntityManager,
    members: { roomId: string; userId: string; created: Date }[],
  ): Promise<{ id: string; roomId: string; userId: string }[]> {
    if (members.length === 0) {
      return [];
    }
    const rows = await manager.query<{ id: string; room_id: string; user_id: string }[]>(
      `INSERT INTO room_users (room_id, user_id, is_active, created, modified)
       SELECT m.room_id, m.user_id, true, m.created, m.created
         FROM unnest($1::uuid[], $2::uuid[], $3::timestamptz[]) AS m(room_id, user_id, created)
       ON CONFLICT (room_id, user_id) DO NOTHING
       RETURNING id, room_id, user_id`,
      [
        members.map((member) => member.roomId),
        members.map((member) => member.userId),
        members.map((member) => member.created),
      ],
    );
    return rows.map((row) => ({ id: row.id, roomId: row.room_id, userId: row.user_id }));
  }

  /** Makes the user an active member (creating or reactivating their room user); returns it. */
  async join(manager: EntityManager, roomId: string, userId: string): Promise<RoomUser> {
    const repository = manager.getRepository(RoomUser);
    const existing = await repository.findOneBy({ roomId, userId });
    if (existing) {
      if (!existing.isActive) {
        existing.isActive = true;
        return repository.save(existing);
      }
      return existing;
    }
    await manager
      .createQueryBuilder()
      .insert()
      .into(RoomUser)
      .values({ roomId, userId, isActive: true })
      .orIgnore()
      .execute();
    return repository.findOneByOrFail({ roomId, userId });
  }

  /** Mute is a member's own preference for a room (the seed's Room.muted_by). */
  async setMuted(roomId: string, userId: string, muted: boolean, manager: EntityManager = this.dataSource.manager) {
    await manager.query(
      muted
        ? 'INSERT INTO room_muted_by (room_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING'
        : 'DELETE FROM room_muted_by WHERE room_id = $1 AND user_id = $2',
      [roomId, userId],
    );
  }

  /** Makes exactly `userIds` (plus `keep`) the active members of the room. */
  async setMembers(manager: EntityManager, roomId: string, userIds: string[], keep: string[] = []): Promise<void> {
    const wanted = new Set([...userIds, ...keep]);
    const current = await manager.getRepository(RoomUser).findBy({ roomId, isActive: true });
    const leaving = current.filter((roomUser) => roomUser.userId !== null && !wanted.has(roomUser.userId));
    for (const roomUser of leaving) {
      roomUser.isActive = false;
    }
    await manager.getRepository(RoomUser).save(leaving);
    for (const userId of wanted) {
      await this.join(manager, roomId, userId);
    }
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

  /** Room users by id, as the websocket pushes them. */
  loadViewsByIds(ids: string[]): Promise<RoomUserView[]> {
    return ids.length === 0 ? Promise.resolve([]) : this.loadViews('ru.id = ANY($1)', [ids]);
  }

  /** Every active room user of a user, e.g. to tell their rooms they went online. */
  loadViewsOfUser(userId: string): Promise<RoomUserView[]> {
    return this.loadViews('ru.user_id = $1 AND ru.is_active', [userId]);
  }

  private async setActive(roomId: string, userId: string, isActive: boolean): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const repository = manager.getRepository(RoomUser);
      // Locked, so that a room deleted meanwhile cannot make the save insert the row again.
      const roomUser = isId(userId)
        ? await repository.findOne({ where: { roomId, userId }, lock: { mode: 'pessimistic_write' } })
        : null;
      if (!roomUser) {
        throw notFound('Room user');
      }
      if (roomUser.isActive !== isActive) {
        // Saved as an entity (not a bulk update) so that the change is pushed to the room.
        roomUser.isActive = isActive;
        await repository.save(roomUser);
      }
    });
  }

  private async requireView(roomId: string, userId: string): Promise<RoomUserView> {
    const [view] = isId(userId) ? await this.loadViews('ru.room_id = $1 AND ru.user_id = $2', [roomId, userId]) : [];
    if (!view) {
      throw notFound('Room user');
    }
    return view;
  }

  private async loadViews(condition: string, parameters: unknown[]): Promise<RoomUserView[]> {
    const rows = await this.dataSource.query<RoomUserRow[]>(
      `SELECT ru.id, ru.user_id, ru.room_id, ru.is_active,
              COALESCE(NULLIF(u.first_name, ''), u.username, 'system') AS name,
              COALESCE(uc.is_online, false) AS is_online
         FROM room_users ru
         LEFT JOIN users u ON u.id = ru.user_id
         LEFT JOIN user_chats uc ON uc.user_id = ru.user_id
        WHERE ${condition}
        ORDER BY ru.created, ru.id`,
      parameters,
    );
    return rows.map(toView);
  }
}
