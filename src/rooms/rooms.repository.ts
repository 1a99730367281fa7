import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { canSeeRoom } from '../access/access.repository';
import { limitOffset, PageRequest } from '../common/http/pagination';
import { lastMessageJsonOf, MessageViewJson, roomCountersJoin, roomStatsJoin } from '../messages/messages.repository';
import { isMutedOf, memberCountOf, memberIdsOf } from '../room-users/room-users.repository';
import { usernameOf } from '../users/users.repository';
import { RoomAdmin } from './room-admin.entity';
import { Room } from './room.entity';

export interface RoomRow {
  id: string;
  created: Date;
  modified: Date;
  creator_id: string | null;
  title: string;
  description: string;
  is_public: boolean;
  image: string | null;
  users: string[];
  admins: string[];
  message_count: number;
  seen_count: number;
  mention_new_count: number;
  /** The last message's view as the caller sees it, as JSON. */
  last_message: MessageViewJson | null;
  is_muted: boolean;
}

export interface RoomSummaryRow {
  id: string;
  title: string;
  is_public: boolean;
  creator_id: string | null;
  creator_username: string | null;
  members: number;
  message_count: number;
  created: Date;
  last_activity_at: Date;
}

/**
 * One statement reads rooms with everything the caller's view of each needs: members, admins, counters,
 * their read position and unseen mentions, mute, and the last message with its reactions and images. `from` names the rooms
 * as `r` (and may bring more columns for `extra`); the caller is `$1`.
 */
const roomSelect = ({
  from = 'rooms r',
  extra = '',
  viewer = '$1',
}: { from?: string; extra?: string; viewer?: string } = {}) => `
  SELECT ${extra} r.id, r.created, r.modified, r.creator_id, r.title, r.description, r.is_public, r.image,
         ${memberIdsOf('r')} AS users,
         ARRAY(SELECT ra.user_id FROM room_admins ra WHERE ra.room_id = r.id ORDER BY ra.user_id) AS admins,
         COALESCE(s.message_count, 0) AS message_count,
         COALESCE(rs.seen_count, 0) AS seen_count,
         COALESCE(rs.mention_new_count, 0) AS mention_new_count,
         ${lastMessageJsonOf('s', viewer)} AS last_message,
         ${isMutedOf('r', viewer)} AS is_muted
    FROM ${from}
    ${roomCountersJoin('r', viewer)}`;

const SUMMARY_SELECT = `
  SELECT r.id, r.title, r.is_public, r.creator_id, ${usernameOf('r.creator_id')} AS creator_username, r.created,
         ${memberCountOf('r')} AS members,
         COALESCE(s.message_count, 0) AS message_count,
         COALESCE(s.last_activity_at, r.created) AS last_activity_at
    FROM rooms r
    ${roomStatsJoin('r')}`;

/** Every query of `rooms` and `room_admins`. */
@Injectable()
export class RoomsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * A page of the rooms the viewer can see, newest activity first, with the total. The page's rooms are
   * chosen first and only they are made into views: view columns computed in the same scan would run
   * for every room an OFFSET skips.
   */
  async pageVisible(viewerId: string, page: PageRequest): Promise<{ rows: RoomRow[]; total: number }> {
    const pageOfRooms = `
      SELECT r.id, r.created, r.modified, r.creator_id, r.title, r.description, r.is_public, r.image,
             count(*) OVER ()::int AS total, COALESCE(s.last_activity_at, r.created) AS activity
        FROM rooms r ${roomStatsJoin('r')}
       WHERE ${canSeeRoom('$1')}
       ORDER BY activity DESC, r.id DESC ${limitOffset(page, 2)}`;
    const rows = await this.dataSource.query<(RoomRow & { total: number })[]>(
      `${roomSelect({ from: `(${pageOfRooms}) r`, extra: 'r.total,' })} ORDER BY r.activity DESC, r.id DESC`,
      [viewerId, page.offset],
    );
    if (rows.length > 0) {
      return { rows, total: rows[0].total };
    }
    // Only a page past the end has to ask for the count on its own.
    const [{ count }] = await this.dataSource.query<{ count: number }[]>(
      `SELECT count(*)::int AS count FROM rooms r WHERE ${canSeeRoom('$1')}`,
      [viewerId],
    );
    return { rows, total: count };
  }

  async view(viewerId: string, roomId: string): Promise<RoomRow | null> {
    const [row] = await this.dataSource.query<RoomRow[]>(`${roomSelect()} WHERE r.id = $2`, [viewerId, roomId]);
    return row ?? null;
  }

  /** The room as each of these viewers sees it, in one statement; none when the room is gone. */
  viewsFor(viewerIds: string[], roomId: string): Promise<(RoomRow & { viewer_id: string })[]> {
    return this.dataSource.query(
      `${roomSelect({ from: 'unnest($1::uuid[]) v(viewer_id) CROSS JOIN rooms r', extra: 'v.viewer_id,', viewer: 'v.viewer_id' })}
        WHERE r.id = $2`,
      [viewerIds, roomId],
    );
  }

  summaries(): Promise<RoomSummaryRow[]> {
    return this.dataSource.query<RoomSummaryRow[]>(
      `${SUMMARY_SELECT} ORDER BY COALESCE(s.last_activity_at, r.created) DESC, r.id DESC`,
    );
  }

  async summary(roomId: string): Promise<RoomSummaryRow | null> {
    const [row] = await this.dataSource.query<RoomSummaryRow[]>(`${SUMMARY_SELECT} WHERE r.id = $1`, [roomId]);
    return row ?? null;
  }

  async findIdByTitle(title: string, creatorId: string): Promise<string | null> {
    const room = await this.dataSource
      .getRepository(Room)
      .findOne({ select: { id: true }, where: { title, creatorId }, order: { created: 'ASC', id: 'ASC' } });
    return room?.id ?? null;
  }

  count(): Promise<number> {
    return this.dataSource.getRepository(Room).count();
  }

  /** Inserts a room; the database's trigger gives it its counters. */
  insert(manager: EntityManager, values: Pick<Room, 'creatorId' | 'title' | 'description' | 'isPublic'>) {
    const repository = manager.getRepository(Room);
    return repository.save(repository.create(values));
  }

  findById(manager: EntityManager, roomId: string): Promise<Room> {
    return manager.getRepository(Room).findOneByOrFail({ id: roomId });
  }

  async save(manager: EntityManager, room: Room): Promise<void> {
    await manager.getRepository(Room).save(room);
  }

  /** Deletes a room; its members, messages, images and counters go with it by foreign key. */
  async remove(manager: EntityManager, room: Room): Promise<void> {
    await manager.getRepository(Room).remove(room);
  }

  async adminIds(manager: EntityManager, roomId: string): Promise<string[]> {
    const admins = await manager.getRepository(RoomAdmin).find({ select: { userId: true }, where: { roomId } });
    return admins.map((admin) => admin.userId);
  }

  /** False when the user already was an admin. */
  async addAdmin(manager: EntityManager, roomId: string, userId: string): Promise<boolean> {
    const repository = manager.getRepository(RoomAdmin);
    if (await repository.existsBy({ roomId, userId })) {
      return false;
    }
    await manager.createQueryBuilder().insert().into(RoomAdmin).values({ roomId, userId }).orIgnore().execute();
    return true;
  }

  /** False when the user was not an admin. */
  async removeAdmin(manager: EntityManager, roomId: string, userId: string): Promise<boolean> {
    const repository = manager.getRepository(RoomAdmin);
    const admin = await repository.findOneBy({ roomId, userId });
    if (!admin) {
      return false;
    }
    await repository.remove(admin);
    return true;
  }
}
