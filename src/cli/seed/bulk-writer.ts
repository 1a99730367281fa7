import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';

export interface NewBulkRoom {
  creatorId: string;
  title: string;
  isPublic: boolean;
  created: Date;
  memberIds: string[];
}

export interface BulkRoom {
  id: string;
  roomUsers: { id: string; userId: string }[];
}

/** A message to load; its id is chosen by the caller, so that replies can point at it at once. */
export interface BulkMessage {
  id: string;
  roomId: string;
  roomUserId: string;
  userId: string;
  parentId: string | null;
  body: string;
  created: Date;
}

/**
 * Loads benchmark volumes (the CLI's `seed --users/--rooms/--messages`) with one multi-row statement per
 * table and batch, bypassing the services and their entity subscribers: nothing is pushed, and what the
 * rows imply (rooms' counters, authors' seen marks and read positions) is kept by the database's
 * triggers as for any other write. Each call is atomic.
 */
@Injectable()
export class BulkWriter {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Users that all share one password hash, computed once by the caller. Answers their ids by username. */
  async insertUsers(users: { username: string; firstName: string }[], passwordHash: string) {
    const rows = await this.dataSource.query<{ id: string; username: string }[]>(
      `INSERT INTO users (username, first_name, password_hash)
       SELECT u.username, u.first_name, $3 FROM unnest($1::varchar[], $2::varchar[]) AS u(username, first_name)
       RETURNING id, username`,
      [users.map((user) => user.username), users.map((user) => user.firstName), passwordHash],
    );
    return new Map(rows.map((row) => [row.username, row.id]));
  }

  /** Rooms as the API makes them (creator, admin and member). Answers each room's id and room users, in order. */
  async insertRooms(rooms: NewBulkRoom[]): Promise<BulkRoom[]> {
    const ids = rooms.map(() => randomUUID());
    return this.dataSource.transaction(async (manager) => {
      await manager.query(
        `INSERT INTO rooms (id, creator_id, title, is_public, created, modified)
         SELECT r.id, r.creator_id, r.title, r.is_public, r.created, r.created
           FROM unnest($1::uuid[], $2::uuid[], $3::varchar[], $4::boolean[], $5::timestamptz[])
             AS r(id, creator_id, title, is_public, created)`,
        [
          ids,
          rooms.map((room) => room.creatorId),
          rooms.map((room) => room.title),
          rooms.map((room) => room.isPublic),
          rooms.map((room) => room.created),
        ],
      );
      await manager.query('INSERT INTO room_admins (room_id, user_id) SELECT * FROM unnest($1::uuid[], $2::uuid[])', [
        ids,
        rooms.map((room) => room.creatorId),
      ]);
      const members = rooms.flatMap((room, index) =>
        [...new Set([room.creatorId, ...room.memberIds])].map((userId) => ({
          roomId: ids[index],
          userId,
          created: room.created,
        })),
      );
      const roomUsers = await manager.query<{ id: string; room_id: string; user_id: string }[]>(
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
      const byRoom = new Map<string, { id: string; userId: string }[]>(ids.map((id) => [id, []]));
      for (const roomUser of roomUsers) {
        byRoom.get(roomUser.room_id)!.push({ id: roomUser.id, userId: roomUser.user_id });
      }
      return ids.map((id) => ({ id, roomUsers: byRoom.get(id)! }));
    });
  }

  /** Non-reaction messages of active room users; parents must be messages of the same room, loaded before or in the same batch. */
  async insertMessages(rows: BulkMessage[]): Promise<void> {
    const column = <K extends keyof BulkMessage>(key: K) => rows.map((row) => row[key]);
    await this.dataSource.query(
      `INSERT INTO messages (id, room_id, room_user_id, user_id, parent_id, body, is_reaction, created, modified)
       SELECT id, room_id, room_user_id, user_id, parent_id, body, false, created, created
         FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::uuid[], $5::uuid[], $6::text[], $7::timestamptz[])
           AS t(id, room_id, room_user_id, user_id, parent_id, body, created)`,
      [
        column('id'),
        column('roomId'),
        column('roomUserId'),
        column('userId'),
        column('parentId'),
        column('body'),
        column('created'),
      ],
    );
  }
}
