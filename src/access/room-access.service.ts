import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { AuthUser } from '../auth/auth-user';
import { forbidden, notFound } from '../common/errors/app-error';
import { isId } from '../common/validation/decorators';

/** What the caller is to one room. */
export interface RoomAccess {
  roomId: string;
  isPublic: boolean;
  creatorId: string | null;
  /** The caller's active room user in this room (what their messages are posted as); null: not a member. */
  roomUserId: string | null;
  /** In the room's admins, or its creator: the creator can never be locked out of their room. */
  isAdmin: boolean;
}

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

interface AccessRow {
  id: string;
  is_public: boolean;
  creator_id: string | null;
  room_user_id: string | null;
  is_admin: boolean;
}

/**
 * The one place that decides who may see and change a room. A user can see a room when it is public
 * or they are a member, an admin or its creator. What the caller may not see answers 404 (its
 * existence is not leaked); what they see but may not change answers 403.
 */
@Injectable()
export class RoomAccessService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async find(
    auth: AuthUser,
    roomId: string,
    manager: EntityManager = this.dataSource.manager,
    lock: RoomLock = 'none',
  ) {
    if (!isId(roomId)) {
      return null;
    }
    const [row] = await manager.query<AccessRow[]>(
      `SELECT r.id, r.is_public, r.creator_id,
              (SELECT ru.id FROM room_users ru WHERE ru.room_id = r.id AND ru.user_id = $2 AND ru.is_active) AS room_user_id,
              (r.creator_id = $2 OR EXISTS (SELECT 1 FROM room_admins ra WHERE ra.room_id = r.id AND ra.user_id = $2)) AS is_admin
         FROM rooms r WHERE r.id = $1 ${LOCK_CLAUSES[lock]}`,
      [roomId, auth.id],
    );
    if (!row) {
      return null;
    }
    const access: RoomAccess = {
      roomId: row.id,
      isPublic: row.is_public,
      creatorId: row.creator_id,
      roomUserId: row.room_user_id,
      isAdmin: row.is_admin === true,
    };
    return access.isPublic || access.roomUserId !== null || access.isAdmin ? access : null;
  }

  /**
   * For callers acting without a user (the admin CLI): the room exists, and stays while `manager`'s
   * transaction runs. Answers its creator.
   */
  async requireExists(
    roomId: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<{ creatorId: string | null }> {
    const [row] = isId(roomId)
      ? await manager.query<{ creator_id: string | null }[]>(
          `SELECT r.creator_id FROM rooms r WHERE r.id = $1 ${LOCK_CLAUSES.keep}`,
          [roomId],
        )
      : [];
    if (!row) {
      throw notFound('Room');
    }
    return { creatorId: row.creator_id };
  }

  async requireVisible(
    auth: AuthUser,
    roomId: string,
    manager?: EntityManager,
    lock: RoomLock = 'none',
  ): Promise<RoomAccess> {
    const access = await this.find(auth, roomId, manager, lock);
    if (!access) {
      throw notFound('Room');
    }
    return access;
  }

  async requireAdmin(
    auth: AuthUser,
    roomId: string,
    manager?: EntityManager,
    lock: RoomLock = 'none',
  ): Promise<RoomAccess> {
    const access = await this.requireVisible(auth, roomId, manager, lock);
    if (!access.isAdmin) {
      throw forbidden('Only the room admins may do this');
    }
    return access;
  }

  /** SQL condition (on alias `r`, caller in parameter `$n`) for the rooms a user can see. */
  static visibleRoomsCondition(userParameter: string): string {
    return `(r.is_public
      OR r.creator_id = ${userParameter}
      OR EXISTS (SELECT 1 FROM room_users ru WHERE ru.room_id = r.id AND ru.user_id = ${userParameter} AND ru.is_active)
      OR EXISTS (SELECT 1 FROM room_admins ra WHERE ra.room_id = r.id AND ra.user_id = ${userParameter}))`;
  }
}
