import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';

/**
 * What a transaction needs of the room row besides reading it: `keep` stops the room from being
 * deleted until the transaction ends (anything that writes rows pointing at the room needs it, or a
 * concurrent deletion turns the write into a foreign-key failure); `delete` is for deleting it.
 */
export type RoomLock = 'none' | 'keep' | 'delete';

const LOCK_CLAUSES: Record<RoomLock, string> = {
  none: '',
  keep: 'FOR KEY SHARE OF r',
  delete: 'FOR UPDATE OF r',
};

export interface AccessRow {
  id: string;
  is_public: boolean;
  creator_id: string | null;
  user_id: string;
  room_user_id: string | null;
  is_admin: boolean;
  can_see: boolean;
}

/**
 * The rule of who can see a room, as SQL on room alias `r` for the user in `user`: the room is public,
 * or the user created it, is an active member or one of its admins. Written once; every access check
 * and every list of rooms uses it.
 */
export const canSeeRoom = (user: string): string => `(r.is_public
  OR r.creator_id = ${user}
  OR EXISTS (SELECT 1 FROM room_users ru WHERE ru.room_id = r.id AND ru.user_id = ${user} AND ru.is_active)
  OR EXISTS (SELECT 1 FROM room_admins ra WHERE ra.room_id = r.id AND ra.user_id = ${user}))`;

/**
 * The reads behind access decisions. They span rooms, their admins and their members by nature, so
 * they live here, in one place, rather than in each of those modules.
 */
@Injectable()
export class AccessRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** What each of these users is to the room (one row per user), or nothing when there is no such room. */
  readAccess(
    roomId: string,
    userIds: string[],
    manager: EntityManager = this.dataSource.manager,
    lock: RoomLock = 'none',
  ): Promise<AccessRow[]> {
    return manager.query<AccessRow[]>(
      `SELECT r.id, r.is_public, r.creator_id, u.user_id, ru.id AS room_user_id,
              (r.creator_id = u.user_id
                OR EXISTS (SELECT 1 FROM room_admins ra WHERE ra.room_id = r.id AND ra.user_id = u.user_id)) AS is_admin,
              ${canSeeRoom('u.user_id')} AS can_see
         FROM rooms r
        CROSS JOIN unnest($2::uuid[]) AS u(user_id)
         LEFT JOIN room_users ru ON ru.room_id = r.id AND ru.user_id = u.user_id AND ru.is_active
        WHERE r.id = $1 ${LOCK_CLAUSES[lock]}`,
      [roomId, userIds],
    );
  }

  /** Which of the rooms asked each user (`userIds[i]` of `roomIds[i]`) they can see, as "user/room" keys. */
  async visiblePairs(userIds: string[], roomIds: string[]): Promise<Set<string>> {
    const rows = await this.dataSource.query<{ user_id: string; id: string }[]>(
      `SELECT q.user_id, r.id
         FROM unnest($1::uuid[], $2::uuid[]) AS q(user_id, room_id)
         JOIN rooms r ON r.id = q.room_id
        WHERE ${canSeeRoom('q.user_id')}`,
      [userIds, roomIds],
    );
    return new Set(rows.map((row) => `${row.user_id}/${row.id}`));
  }

  /** The room's creator, when it exists; held for `manager`'s transaction. */
  async holdRoom(roomId: string, manager: EntityManager = this.dataSource.manager) {
    const [row] = await manager.query<{ creator_id: string | null }[]>(
      `SELECT r.creator_id FROM rooms r WHERE r.id = $1 ${LOCK_CLAUSES.keep}`,
      [roomId],
    );
    return row ? { creatorId: row.creator_id } : null;
  }
}
