import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { AuthUser } from '../auth/auth-user';
import { forbidden, notFound } from '../common/errors/app-error';
import { KeyedBatcher } from '../common/database/keyed-batcher';
import { isId } from '../common/validation/decorators';
import { AccessRepository, AccessRow, RoomLock } from './access.repository';

export type { RoomLock } from './access.repository';

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

const toAccess = (row: AccessRow): RoomAccess | null =>
  row.can_see
    ? {
        roomId: row.id,
        isPublic: row.is_public,
        creatorId: row.creator_id,
        roomUserId: row.room_user_id,
        isAdmin: row.is_admin === true,
      }
    : null;

/**
 * The one place that decides who may see and change a room. A user can see a room when it is public
 * or they are a member, an admin or its creator. What the caller may not see answers 404 (its
 * existence is not leaked); what they see but may not change answers 403.
 */
@Injectable()
export class RoomAccessService {
  /**
   * Visibility checks, read together while one runs: a crowd resuming at once (each naming its rooms)
   * costs a few statements, not one each.
   */
  private readonly visibility = new KeyedBatcher<'rooms', { userId: string; roomIds: string[] }, Set<string>>(
    async (_key, asks) => {
      const visible = await this.repository.visiblePairs(
        asks.flatMap((ask) => ask.roomIds.map(() => ask.userId)),
        asks.flatMap((ask) => ask.roomIds),
      );
      return asks.map(() => visible);
    },
  );

  constructor(private readonly repository: AccessRepository) {}

  /** The caller's access to the room, or null when they cannot see it (or it does not exist). */
  async find(
    auth: Pick<AuthUser, 'id'>,
    roomId: string,
    manager?: EntityManager,
    lock: RoomLock = 'none',
  ): Promise<RoomAccess | null> {
    return (await this.findForUsers(roomId, [auth.id], manager, lock)).get(auth.id) ?? null;
  }

  /** `find` for several users of one room at once: those who can see it, by user id. */
  async findForUsers(
    roomId: string,
    userIds: string[],
    manager?: EntityManager,
    lock: RoomLock = 'none',
  ): Promise<Map<string, RoomAccess>> {
    const found = new Map<string, RoomAccess>();
    if (!isId(roomId) || userIds.length === 0) {
      return found;
    }
    for (const row of await this.repository.readAccess(roomId, userIds, manager, lock)) {
      const access = toAccess(row);
      if (access) {
        found.set(row.user_id, access);
      }
    }
    return found;
  }

  /** Which of these rooms the user can see (ids that are not UUIDs are not). */
  async visibleRoomIds(auth: Pick<AuthUser, 'id'>, roomIds: string[]): Promise<Set<string>> {
    const ids = [...new Set(roomIds.filter(isId).map((id) => id.toLowerCase()))];
    if (ids.length === 0) {
      return new Set();
    }
    const visible = await this.visibility.submit('rooms', { userId: auth.id, roomIds: ids });
    return new Set(ids.filter((id) => visible.has(`${auth.id}/${id}`)));
  }

  /**
   * For callers acting without a user (the admin CLI): the room exists, and stays while `manager`'s
   * transaction runs. Answers its creator.
   */
  async requireExists(roomId: string, manager?: EntityManager): Promise<{ creatorId: string | null }> {
    const room = isId(roomId) ? await this.repository.holdRoom(roomId, manager) : null;
    if (!room) {
      throw notFound('Room');
    }
    return room;
  }

  async requireVisible(
    auth: Pick<AuthUser, 'id'>,
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
    auth: Pick<AuthUser, 'id'>,
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
}
