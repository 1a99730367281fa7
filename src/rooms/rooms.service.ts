import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { RoomAccessService } from '../access/room-access.service';
import type { AuthUser } from '../auth/auth-user';
import { AppError, forbidden, invalid, notFound } from '../common/errors/app-error';
import { limitOffset, Page, PageQueryDto, toPage, toPageRequest } from '../common/http/pagination';
import { FileStorage } from '../common/storage/file-storage';
import { isId } from '../common/validation/decorators';
import { messageViewColumns, MessageViewJson } from '../messages/message-views.repository';
import { MessagesService } from '../messages/messages.service';
import { RoomUsersService } from '../room-users/room-users.service';
import { UsersService } from '../users/users.service';
import { CreateRoomDto, RoomDto, RoomSummaryDto, UpdateRoomDto } from './dto/room.dto';
import { Room } from './room.entity';

interface RoomRow {
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
  /** The last message's view as the caller sees it (`messageViewColumns`, as JSON). */
  last_message: MessageViewJson | null;
  is_muted: boolean;
}

/**
 * One query reads rooms with everything the caller's view of each needs: members, admins, counters,
 * their read position, mute, and the last message with its reactions and images. `from` names the rooms
 * as `r` (and may bring more columns for `extra`).
 */
const roomSelect = ({ from = 'rooms r', extra = '' }: { from?: string; extra?: string } = {}) => `
  SELECT ${extra} r.id, r.created, r.modified, r.creator_id, r.title, r.description, r.is_public, r.image,
         ARRAY(SELECT ru.user_id FROM room_users ru
                WHERE ru.room_id = r.id AND ru.is_active AND ru.user_id IS NOT NULL
                ORDER BY ru.created, ru.id) AS users,
         ARRAY(SELECT ra.user_id FROM room_admins ra WHERE ra.room_id = r.id ORDER BY ra.user_id) AS admins,
         COALESCE(s.message_count, 0) AS message_count,
         COALESCE(rs.seen_count, 0) AS seen_count,
         (SELECT row_to_json(v) FROM (SELECT ${messageViewColumns('$1')} FROM messages m WHERE m.id = s.last_message_id) v)
           AS last_message,
         EXISTS (SELECT 1 FROM room_muted_by mb WHERE mb.room_id = r.id AND mb.user_id = $1) AS is_muted
    FROM ${from}
    LEFT JOIN room_stats s ON s.room_id = r.id
    LEFT JOIN room_read_states rs ON rs.room_id = r.id AND rs.user_id = $1`;

interface RoomSummaryRow {
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

const SUMMARY_SELECT = `
  SELECT r.id, r.title, r.is_public, r.creator_id, u.username AS creator_username, r.created,
         (SELECT count(*)::int FROM room_users ru
           WHERE ru.room_id = r.id AND ru.is_active AND ru.user_id IS NOT NULL) AS members,
         COALESCE(s.message_count, 0) AS message_count,
         COALESCE(s.last_activity_at, r.created) AS last_activity_at
    FROM rooms r
    LEFT JOIN users u ON u.id = r.creator_id
    LEFT JOIN room_stats s ON s.room_id = r.id`;

const mapRoomSummary = (row: RoomSummaryRow): RoomSummaryDto => ({
  id: row.id,
  title: row.title,
  is_public: row.is_public,
  creator_id: row.creator_id,
  creator_username: row.creator_username,
  members: row.members,
  message_total_count: row.message_count,
  created: row.created.toISOString(),
  last_activity_at: row.last_activity_at.toISOString(),
});

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

@Injectable()
export class RoomsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly access: RoomAccessService,
    private readonly roomUsers: RoomUsersService,
    private readonly messages: MessagesService,
    private readonly users: UsersService,
    private readonly storage: FileStorage,
  ) {}

  /** Rooms the caller can see, newest activity first. */
  async list(auth: AuthUser, query: PageQueryDto, url: URL): Promise<Page<RoomDto>> {
    const page = toPageRequest(query, url);
    const visible = RoomAccessService.visibleRoomsCondition('$1');
    // The page's rooms are chosen first and only they are made into views (members, last message…):
    // view columns computed in the same scan would run for every room an OFFSET skips. The count comes
    // with the page; only a page past the end has to ask for it on its own.
    const pageOfRooms = `
      SELECT r.id, r.created, r.modified, r.creator_id, r.title, r.description, r.is_public, r.image,
             count(*) OVER ()::int AS total, COALESCE(s.last_activity_at, r.created) AS activity
        FROM rooms r LEFT JOIN room_stats s ON s.room_id = r.id
       WHERE ${visible}
       ORDER BY activity DESC, r.id DESC ${limitOffset(page, 2)}`;
    const rows = await this.dataSource.query<(RoomRow & { total: number })[]>(
      `${roomSelect({ from: `(${pageOfRooms}) r`, extra: 'r.total,' })} ORDER BY r.activity DESC, r.id DESC`,
      [auth.id, page.offset],
    );
    const count =
      rows.length > 0
        ? rows[0].total
        : (
            await this.dataSource.query<{ count: number }[]>(
              `SELECT count(*)::int AS count FROM rooms r WHERE ${visible}`,
              [auth.id],
            )
          )[0].count;
    return toPage(page, count, this.toDtos(auth, rows));
  }

  async get(auth: AuthUser, roomId: string): Promise<RoomDto> {
    await this.access.requireVisible(auth, roomId);
    return this.load(auth, roomId);
  }

  async create(auth: AuthUser, dto: CreateRoomDto): Promise<RoomDto> {
    const members = await this.requireUsers(dto.users ?? []);
    const roomId = await this.dataSource.transaction(async (manager) => {
      const room = await manager.getRepository(Room).save(
        manager.getRepository(Room).create({
          creatorId: auth.id,
          title: dto.title,
          description: dto.description ?? '',
          isPublic: dto.is_public ?? true,
        }),
      );
      await this.messages.initRoomStats(manager, room.id);
      await manager.query('INSERT INTO room_admins (room_id, user_id) VALUES ($1, $2)', [room.id, auth.id]);
      await this.roomUsers.setMembers(manager, room.id, members, [auth.id]);
      return room.id;
    });
    return this.load(auth, roomId);
  }

  /** PATCH changes the fields given; PUT (`replace`) requires the title as well. */
  async update(auth: AuthUser, roomId: string, dto: UpdateRoomDto, replace: boolean): Promise<RoomDto> {
    if (replace && dto.title === undefined) {
      throw new AppError('required', 'title is required', 'title');
    }
    const members = dto.users === undefined ? undefined : await this.requireUsers(dto.users);
    await this.dataSource.transaction(async (manager) => {
      await this.access.requireAdmin(auth, roomId, manager, 'keep');
      const repository = manager.getRepository(Room);
      const room = await repository.findOneByOrFail({ id: roomId });
      room.title = dto.title ?? room.title;
      room.description = dto.description ?? room.description;
      room.isPublic = dto.is_public ?? room.isPublic;
      await repository.save(room);
      if (members) {
        await this.roomUsers.setMembers(manager, roomId, members, await this.adminIds(manager, roomId));
      }
    });
    return this.load(auth, roomId);
  }

  /** Deletes the room with its messages and images, and the image files. */
  async delete(auth: AuthUser, roomId: string): Promise<void> {
    const fileKeys = await this.dataSource.transaction(async (manager) => {
      await this.access.requireAdmin(auth, roomId, manager, 'delete');
      const keys = await manager.query<{ storage_key: string }[]>(
        `SELECT i.storage_key FROM message_images i JOIN messages m ON m.id = i.message_id WHERE m.room_id = $1`,
        [roomId],
      );
      const repository = manager.getRepository(Room);
      await repository.remove(await repository.findOneByOrFail({ id: roomId }));
      return keys.map((row) => row.storage_key);
    });
    await this.storage.deleteQuietly(fileKeys);
  }

  async setMuted(auth: AuthUser, roomId: string, muted: boolean): Promise<RoomDto> {
    await this.dataSource.transaction(async (manager) => {
      await this.access.requireVisible(auth, roomId, manager, 'keep');
      await this.roomUsers.setMuted(roomId, auth.id, muted, manager);
    });
    return this.load(auth, roomId);
  }

  /**
   * Makes a user one of the room's admins, and an active member if they were not (admins are kept as
   * members, as `update` keeps them). The site admin's CLI; no check of who asks. False when they already
   * were an admin.
   */
  async addAdmin(roomId: string, userId: string): Promise<boolean> {
    return this.dataSource.transaction(async (manager) => {
      await this.access.requireExists(roomId, manager);
      await this.roomUsers.join(manager, roomId, userId);
      const added = await manager.query<unknown[]>(
        'INSERT INTO room_admins (room_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING user_id',
        [roomId, userId],
      );
      return added.length > 0;
    });
  }

  /**
   * Takes a user off the room's admins; they stay a member. The creator always counts as an admin, so
   * they cannot be taken off. The site admin's CLI. False when the user was not an admin.
   */
  async removeAdmin(roomId: string, userId: string): Promise<boolean> {
    return this.dataSource.transaction(async (manager) => {
      const { creatorId } = await this.access.requireExists(roomId, manager);
      if (creatorId === userId) {
        throw forbidden('The creator of a room is always one of its admins');
      }
      // A statement answering rows whatever the driver makes of a DELETE's own result.
      const [{ removed }] = await manager.query<{ removed: number }[]>(
        `WITH gone AS (DELETE FROM room_admins WHERE room_id = $1 AND user_id = $2 RETURNING 1)
         SELECT count(*)::int AS removed FROM gone`,
        [roomId, userId],
      );
      return removed > 0;
    });
  }

  /** Every room with its size and activity, newest activity first: the site admin's view (the CLI). */
  async listSummaries(): Promise<RoomSummaryDto[]> {
    const rows = await this.dataSource.query<RoomSummaryRow[]>(
      `${SUMMARY_SELECT} ORDER BY COALESCE(s.last_activity_at, r.created) DESC, r.id DESC`,
    );
    return rows.map(mapRoomSummary);
  }

  /** One room's summary, or null when there is no such room. */
  async findSummary(roomId: string): Promise<RoomSummaryDto | null> {
    if (!isId(roomId)) {
      return null;
    }
    const [row] = await this.dataSource.query<RoomSummaryRow[]>(`${SUMMARY_SELECT} WHERE r.id = $1`, [roomId]);
    return row ? mapRoomSummary(row) : null;
  }

  /** The id of the oldest room with this title made by this user, if any. */
  async findIdByTitle(title: string, creatorId: string): Promise<string | null> {
    const room = await this.dataSource
      .getRepository(Room)
      .findOne({ select: { id: true }, where: { title, creatorId }, order: { created: 'ASC', id: 'ASC' } });
    return room?.id ?? null;
  }

  count(): Promise<number> {
    return this.dataSource.getRepository(Room).count();
  }

  /**
   * Bulk loading (the CLI's seed): rooms made as `create` makes them (creator, admin and member, with
   * their counters), in a few statements for all. Returns each room's id and room users, in order.
   */
  async insertMany(rooms: NewBulkRoom[]): Promise<BulkRoom[]> {
    if (rooms.length === 0) {
      return [];
    }
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
      await this.messages.initManyRoomStats(
        manager,
        rooms.map((room, index) => ({ roomId: ids[index], created: room.created })),
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
      const roomUsers = await this.roomUsers.insertMany(manager, members);
      const byRoom = new Map<string, { id: string; userId: string }[]>(ids.map((id) => [id, []]));
      for (const roomUser of roomUsers) {
        byRoom.get(roomUser.roomId)!.push({ id: roomUser.id, userId: roomUser.userId });
      }
      return ids.map((id) => ({ id, roomUsers: byRoom.get(id)! }));
    });
  }

  private async load(auth: AuthUser, roomId: string): Promise<RoomDto> {
    const rows = await this.dataSource.query<RoomRow[]>(`${roomSelect()} WHERE r.id = $2`, [auth.id, roomId]);
    if (rows.length === 0) {
      throw notFound('Room');
    }
    const [dto] = this.toDtos(auth, rows);
    return dto;
  }

  private toDtos(auth: AuthUser, rows: RoomRow[]): RoomDto[] {
    return rows.map((row) => ({
      id: row.id,
      created: row.created.toISOString(),
      modified: row.modified.toISOString(),
      creator_id: row.creator_id,
      title: row.title,
      description: row.description,
      is_public: row.is_public,
      image: row.image,
      users: row.users,
      admins: row.admins,
      message_total_count: row.message_count,
      message_new_count: Math.max(row.message_count - row.seen_count, 0),
      last_message: row.last_message ? this.messages.dtoFromJson(auth, row.last_message) : null,
      is_muted: row.is_muted,
    }));
  }

  private async adminIds(manager: EntityManager, roomId: string): Promise<string[]> {
    const rows = await manager.query<
      {
        user_id: string;
      }[]
    >('SELECT user_id FROM room_admins WHERE room_id = $1', [roomId]);
    return rows.map((row) => row.user_id);
  }

  private async requireUsers(ids: string[]): Promise<string[]> {
    const unique = [...new Set(ids)];
    const existing = await this.users.existingIds(unique);
    const missing = unique.filter((id) => !existing.has(id));
    if (missing.length > 0) {
      throw invalid('users', `No user with id ${missing.join(', ')}`);
    }
    return unique;
  }
}
