import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { BroadcasterResult } from 'typeorm/subscriber/BroadcasterResult.js';
import { RoomAccess, RoomAccessService } from '../access/room-access.service';
import type { AuthUser } from '../auth/auth-user';
import { APP_CONFIG, AppConfig } from '../common/config/config';
import { KeyedBatcher } from '../common/database/keyed-batcher';
import { isForeignKeyViolation } from '../common/database/postgres-errors';
import { AppError, forbidden, invalid, notFound } from '../common/errors/app-error';
import { limitOffset, Page, PageRequest, toPage, toPageRequest } from '../common/http/pagination';
import { FileStorage } from '../common/storage/file-storage';
import { isId } from '../common/validation/decorators';
import { RoomUsersService } from '../room-users/room-users.service';
import {
  CreateMessageDto,
  MessageListQueryDto,
  SeenDto,
  SeenResultDto,
  UpdateMessageDto,
} from './dto/message-input.dto';
import { mapMessage, MessageDto, MessageView } from './dto/message.dto';
import { Message } from './message.entity';
import {
  messageViewColumns,
  MessageViewJson,
  MessageViewRow,
  MessageViewsRepository,
  ViewsForViewer,
} from './message-views.repository';
import { RoomStats } from './room-stats.entity';

/** Reactions are short by nature: a symbol or a word. */
export const MAX_REACTION_LENGTH = 64;

type Cursor = { kind: 'before' | 'after'; id: string };

/** A message to insert in a room, as its author. */
interface NewMessage {
  userId: string;
  parentId: string | null;
  body: string;
}

/** A message to bulk-load; its id is chosen by the caller, so that replies can point at it at once. */
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
 * What new messages imply, as common table expressions over the CTE `inserted` (id, room_id, user_id,
 * created), for every statement that inserts messages: each author has seen and received their own
 * message and their read position in its room counts it; `per_room` has each room's added count and
 * newest message, in the lists' order (created, then id).
 */
const AFTER_INSERT = `seen AS (
    INSERT INTO message_seen_by (message_id, user_id) SELECT id, user_id FROM inserted
  ), received AS (
    INSERT INTO message_received_by (message_id, user_id) SELECT id, user_id FROM inserted
  ), read_states AS (
    INSERT INTO room_read_states (room_id, user_id, seen_count)
    SELECT room_id, user_id, count(*)::int FROM inserted GROUP BY room_id, user_id
    ON CONFLICT (room_id, user_id) DO UPDATE SET seen_count = room_read_states.seen_count + EXCLUDED.seen_count
  ), per_room AS (
    SELECT room_id, count(*)::int AS added, max(created) AS newest_at,
           (array_agg(id ORDER BY created DESC, id DESC))[1] AS newest_id
      FROM inserted GROUP BY room_id
  )`;

@Injectable()
export class MessagesService {
  /** Members' posts, batched per room (see `create`). */
  private readonly posts = new KeyedBatcher<string, NewMessage, MessageView | null>((roomId, posts) =>
    this.insertMessages(null, roomId, posts),
  );

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly access: RoomAccessService,
    private readonly roomUsers: RoomUsersService,
    private readonly views: MessageViewsRepository,
    private readonly storage: FileStorage,
  ) {}

  async list(auth: AuthUser, roomId: string, query: MessageListQueryDto, url: URL): Promise<Page<MessageDto>> {
    await this.access.requireVisible(auth, roomId);
    const page = toPageRequest(query, url);
    const parentId =
      query.parent_id === undefined ? null : await this.requireMessageId(roomId, query.parent_id, 'parent_id');
    const cursor = await this.parseCursor(roomId, query);
    const filter = parentId
      ? 'm.room_id = $1 AND NOT m.is_reaction AND m.parent_id = $2'
      : 'm.room_id = $1 AND NOT m.is_reaction';
    const parameters: unknown[] = parentId ? [roomId, parentId] : [roomId];
    // The page's messages are chosen first and only they are made into views: view columns computed in
    // the same scan would run for every row an OFFSET skips, and PostgreSQL, expecting many rows, could
    // read all of the viewer's seen marks into a hash instead of looking up the page's (W5 in
    // BENCHMARKS.md).
    const views = (pageSql: string, order: string) =>
      `SELECT ${messageViewColumns(`$${parameters.length + 1}::uuid`)} FROM (${pageSql}) m ORDER BY ${order}`;
    const count = await this.countMessages(roomId, parentId);
    if (!cursor) {
      const newestFirst = 'm.created DESC, m.id DESC';
      const rows = await this.dataSource.query<MessageViewRow[]>(
        views(
          `SELECT m.* FROM messages m WHERE ${filter}
            ORDER BY ${newestFirst} ${limitOffset(page, parameters.length + 2)}`,
          newestFirst,
        ),
        [...parameters, auth.id, page.offset],
      );
      return toPage(page, count, this.toDtos(auth, this.views.fromRows(rows)));
    }
    const older = cursor.kind === 'before';
    const order = older ? 'm.created DESC, m.id DESC' : 'm.created ASC, m.id ASC';
    const rows = await this.dataSource.query<MessageViewRow[]>(
      views(
        `SELECT m.* FROM messages m
          WHERE ${filter}
            AND (m.created, m.id) ${older ? '<' : '>'} (SELECT c.created, c.id FROM messages c WHERE c.id = $${parameters.length + 2})
          ORDER BY ${order} LIMIT ${page.limit + 1}`,
        order,
      ),
      [...parameters, auth.id, cursor.id],
    );
    const hasMore = rows.length > page.limit;
    const pageRows = rows.slice(0, page.limit);
    if (!older) {
      pageRows.reverse();
    }
    const results = this.toDtos(auth, this.views.fromRows(pageRows));
    return { count, ...this.cursorLinks(page, results, older ? hasMore : true, older ? true : hasMore), results };
  }

  async get(auth: AuthUser, roomId: string, messageId: string): Promise<MessageDto> {
    await this.access.requireVisible(auth, roomId);
    return this.requireDto(auth, roomId, messageId);
  }

  async create(auth: AuthUser, roomId: string, dto: CreateMessageDto): Promise<MessageDto> {
    const isReaction = dto.is_reaction ?? false;
    this.checkBody(dto.body, { isReaction, mayBeEmpty: false });
    if (!isReaction && (dto.parent_id ?? null) === null && isId(roomId)) {
      // A member's message that replies to nothing, the common case, is stored without a transaction of
      // its own: the room's posts that arrive while one of its statements runs are stored together by the
      // next, one statement committing on its own (W1 in BENCHMARKS.md). Anyone else, and replies and
      // reactions, take the checks below.
      const posted = await this.posts.submit(roomId, { userId: auth.id, parentId: null, body: dto.body });
      if (posted) {
        return mapMessage(posted, { userId: auth.id, seen: new Set() });
      }
    }
    const created = await this.dataSource.transaction(async (manager) => {
      const access = await this.access.requireVisible(auth, roomId, manager, 'keep');
      const parentId = await this.checkParent(manager, roomId, dto.parent_id ?? null, isReaction);
      const roomUserId = await this.becomeMember(manager, auth, access);
      if (isReaction) {
        return this.react(manager, { roomId, roomUserId, userId: auth.id, parentId: parentId!, body: dto.body });
      }
      return this.requireInserted(
        await this.insertMessage(manager, roomId, { userId: auth.id, parentId, body: dto.body }),
      );
    });
    // A new message is answered as inserted (no reactions or images yet; its author has seen it), a reaction
    // as stored (it may have existed already).
    return typeof created === 'string'
      ? this.requireDto(auth, roomId, created)
      : mapMessage(created, { userId: auth.id, seen: new Set() });
  }

  /** An empty message of the caller's in a room, to attach an image to (the images module). */
  async createForAttachment(manager: EntityManager, auth: AuthUser, roomId: string): Promise<string> {
    const access = await this.access.requireVisible(auth, roomId, manager, 'keep');
    await this.becomeMember(manager, auth, access);
    const message = this.requireInserted(
      await this.insertMessage(manager, roomId, { userId: auth.id, parentId: null, body: '' }),
    );
    return message.id;
  }

  /** The caller's own message, for attaching images to: 404 when not visible, 403 when someone else's. */
  async requireOwnMessage(auth: AuthUser, messageId: string, field: string, manager?: EntityManager) {
    const message = isId(messageId)
      ? await (manager ?? this.dataSource.manager).getRepository(Message).findOneBy({ id: messageId })
      : null;
    if (!message || !(await this.access.find(auth, message.roomId, manager))) {
      throw invalid(field, 'No message with this id');
    }
    if (message.userId !== auth.id) {
      throw forbidden('Only the author may attach images to a message');
    }
    return message;
  }

  async update(auth: AuthUser, roomId: string, messageId: string, dto: UpdateMessageDto): Promise<MessageDto> {
    await this.dataSource.transaction(async (manager) => {
      await this.access.requireVisible(auth, roomId, manager, 'keep');
      const message = await this.requireEntity(manager, roomId, messageId);
      if (message.userId !== auth.id) {
        throw forbidden('Only the author may edit a message');
      }
      if (message.isReaction) {
        throw invalid('body', 'A reaction cannot be edited; delete it and react again');
      }
      const hasImages =
        (await manager.query<unknown[]>('SELECT 1 FROM message_images WHERE message_id = $1 LIMIT 1', [message.id]))
          .length > 0;
      this.checkBody(dto.body, { isReaction: false, mayBeEmpty: hasImages });
      if (message.body !== dto.body) {
        message.body = dto.body;
        await manager.getRepository(Message).save(message);
      }
    });
    return this.requireDto(auth, roomId, messageId);
  }

  /** Deletes a message with its reactions and images; replies stay, their parent link cleared. */
  async delete(auth: AuthUser, roomId: string, messageId: string): Promise<void> {
    const fileKeys = await this.dataSource.transaction(async (manager) => {
      const access = await this.access.requireVisible(auth, roomId, manager, 'keep');
      const message = await this.requireEntity(manager, roomId, messageId);
      if (message.userId !== auth.id && !access.isAdmin) {
        throw forbidden('Only the author or a room admin may delete a message');
      }
      return this.remove(manager, message);
    });
    await this.storage.deleteQuietly(fileKeys);
  }

  /**
   * Deletes a message left with neither body nor images, within the caller's transaction (the images
   * module, once a message's last image is moved away or deleted), so that no empty message stays.
   * Answers the keys of the files to delete once that transaction commits.
   */
  async deleteIfEmpty(manager: EntityManager, messageId: string): Promise<string[]> {
    const message = await manager
      .getRepository(Message)
      .findOne({ where: { id: messageId }, lock: { mode: 'pessimistic_write' } });
    if (!message || message.isReaction || message.body.trim() !== '') {
      return [];
    }
    const hasImages =
      (await manager.query<unknown[]>('SELECT 1 FROM message_images WHERE message_id = $1 LIMIT 1', [message.id]))
        .length > 0;
    return hasImages ? [] : this.remove(manager, message);
  }

  /** Removes a locked message with its reactions, keeping the counters right; answers its files' keys. */
  private async remove(manager: EntityManager, message: Message): Promise<string[]> {
    const roomId = message.roomId;
    // The message with its reactions, locked in id order as `seen` locks them, so the two cannot deadlock.
    const locked = await manager.query<{ id: string }[]>(
      'SELECT id FROM messages WHERE id = $1 OR (parent_id = $1 AND is_reaction) ORDER BY id FOR UPDATE',
      [message.id],
    );
    if (!locked.some((row) => row.id === message.id)) {
      throw notFound('Message');
    }
    const keys = await manager.query<{ storage_key: string }[]>(
      `SELECT i.storage_key FROM message_images i
        WHERE i.message_id = $1 OR i.message_id IN (SELECT r.id FROM messages r WHERE r.parent_id = $1 AND r.is_reaction)`,
      [message.id],
    );
    if (!message.isReaction) {
      await manager.query(
        `UPDATE room_read_states SET seen_count = GREATEST(seen_count - 1, 0)
          WHERE room_id = $1 AND user_id IN (SELECT s.user_id FROM message_seen_by s WHERE s.message_id = $2)`,
        [roomId, message.id],
      );
      // The parent goes, so its reactions go too; the parent's deletion is what clients are told.
      await manager.query('DELETE FROM messages WHERE parent_id = $1 AND is_reaction', [message.id]);
    }
    await manager.getRepository(Message).remove(message);
    if (!message.isReaction) {
      await manager.query(
        `UPDATE room_stats SET message_count = GREATEST(message_count - 1, 0),
                last_message_id = (SELECT m.id FROM messages m WHERE m.room_id = $1 AND NOT m.is_reaction
                                    ORDER BY m.created DESC, m.id DESC LIMIT 1)
          WHERE room_id = $1`,
        [roomId],
      );
    }
    return keys.map((row) => row.storage_key);
  }

  /** Marks messages of this room seen by the caller; idempotent. Ids of other rooms are ignored. */
  async seen(auth: AuthUser, roomId: string, dto: SeenDto): Promise<SeenResultDto> {
    if (dto.message_ids.length > this.config.limits.seenIdsPerCall) {
      throw invalid('message_ids', `At most ${this.config.limits.seenIdsPerCall} message ids per call`);
    }
    const ids = [...new Set(dto.message_ids)];
    return this.dataSource.transaction(async (manager) => {
      await this.access.requireVisible(auth, roomId, manager, 'keep');
      // Locked so that a message cannot be deleted between being found here and being marked.
      const inRoom = await manager.query<{ id: string }[]>(
        'SELECT m.id FROM messages m WHERE m.id = ANY($1) AND m.room_id = $2 ORDER BY m.id FOR KEY SHARE',
        [ids, roomId],
      );
      await this.markSeen(
        manager,
        roomId,
        auth.id,
        inRoom.map((row) => row.id),
      );
      const found = new Set(inRoom.map((row) => row.id));
      return { message_ids: ids.filter((id) => found.has(id)) };
    });
  }

  /** The views of messages by id, as nobody in particular sees them (for pushes). */
  async loadViews(ids: string[]): Promise<MessageView[]> {
    return (await this.views.byIds(ids, null)).views;
  }

  /** A message the caller read as JSON with `messageViewColumns` (a room's last message), as they see it. */
  dtoFromJson(auth: Pick<AuthUser, 'id'>, row: MessageViewJson): MessageDto {
    return this.toDtos(auth, this.views.fromJson([row]))[0];
  }

  /** Every room has its counters row from the start, so posting only ever updates it. */
  async initRoomStats(manager: EntityManager, roomId: string): Promise<void> {
    await manager.insert(RoomStats, { roomId, messageCount: 0, lastMessageId: null });
  }

  /** Bulk loading: the counters rows of many new rooms, each starting at its room's creation. */
  async initManyRoomStats(manager: EntityManager, rooms: { roomId: string; created: Date }[]): Promise<void> {
    if (rooms.length === 0) {
      return;
    }
    await manager.query(
      `INSERT INTO room_stats (room_id, message_count, last_message_id, last_activity_at)
       SELECT r.room_id, 0, NULL, r.created FROM unnest($1::uuid[], $2::timestamptz[]) AS r(room_id, created)`,
      [rooms.map((room) => room.roomId), rooms.map((room) => room.created)],
    );
  }

  /**
   * Bulk loading (the CLI's seed): inserts many non-reaction messages of active room users in one
   * statement, keeping what `insertMessages` keeps: each author has seen their own message, and the
   * rooms' counters, last message and last activity follow. Parents must be messages of the same room
   * (earlier in the same batch, or already stored).
   */
  async insertMany(rows: BulkMessage[]): Promise<void> {
    if (rows.length === 0) {
      return;
    }
    const column = <K extends keyof BulkMessage>(key: K) => rows.map((row) => row[key]);
    await this.dataSource.query(
      `WITH input AS (
         SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::uuid[], $5::uuid[], $6::text[], $7::timestamptz[])
           AS t(id, room_id, room_user_id, user_id, parent_id, body, created)
       ), inserted AS (
         INSERT INTO messages (id, room_id, room_user_id, user_id, parent_id, body, is_reaction, created, modified)
         SELECT id, room_id, room_user_id, user_id, parent_id, body, false, created, created FROM input
         RETURNING id, room_id, user_id, created
       ), ${AFTER_INSERT}
       UPDATE room_stats s
          SET message_count = s.message_count + p.added,
              last_message_id = CASE
                WHEN s.last_message_id IS NULL
                  OR (p.newest_at, p.newest_id) > (SELECT m.created, m.id FROM messages m WHERE m.id = s.last_message_id)
                THEN p.newest_id ELSE s.last_message_id END,
              last_activity_at = GREATEST(s.last_activity_at, p.newest_at)
         FROM per_room p
        WHERE s.room_id = p.room_id`,
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

  /** Site-wide counts, for the admin CLI. */
  async totals(): Promise<{ messages: number; reactions: number; images: number }> {
    const [row] = await this.dataSource.query<{ messages: number; reactions: number; images: number }[]>(
      `SELECT (SELECT count(*)::int FROM messages WHERE NOT is_reaction) AS messages,
              (SELECT count(*)::int FROM messages WHERE is_reaction) AS reactions,
              (SELECT count(*)::int FROM message_images) AS images`,
    );
    return row;
  }

  /**
   * Inserts messages of a room, each as its author's active room user, with what follows from them, in one
   * statement: each author has seen and received their message, and the room's counters, last message and
   * last activity move on. The room is locked first, as every writer locks it (`RoomAccessService`), so
   * that its deletion waits or wins instead of deadlocking on its counters. Messages of one statement share
   * their `created` time; among them the greatest id is the newest, as the lists order them. The inserts
   * are announced as TypeORM announces its own (so that they are pushed once committed). Answers each
   * message's view, or null for a message whose author is not an active member of the room (nothing is
   * written for it). Without `manager`, the statement commits on its own.
   */
  private async insertMessages(
    manager: EntityManager | null,
    roomId: string,
    posts: NewMessage[],
  ): Promise<(MessageView | null)[]> {
    const runner = manager?.queryRunner ?? this.dataSource.createQueryRunner();
    const ids = posts.map(() => randomUUID());
    try {
      const rows = await runner.manager.query<{ id: string; room_user_id: string; created: Date; modified: Date }[]>(
        `WITH inserted AS (
           INSERT INTO messages (id, room_id, room_user_id, user_id, parent_id, body, is_reaction)
           SELECT p.id, r.id, ru.id, ru.user_id, p.parent_id, p.body, false
             FROM rooms r
             JOIN room_users ru ON ru.room_id = r.id AND ru.is_active
             JOIN unnest($2::uuid[], $3::uuid[], $4::uuid[], $5::text[]) AS p(id, user_id, parent_id, body)
               ON p.user_id = ru.user_id
            WHERE r.id = $1
              FOR KEY SHARE OF r
           RETURNING id, room_id, room_user_id, user_id, created, modified
         ), ${AFTER_INSERT}, stats AS (
           UPDATE room_stats s
              SET message_count = s.message_count + p.added, last_message_id = p.newest_id, last_activity_at = p.newest_at
             FROM per_room p
            WHERE s.room_id = p.room_id
         )
         SELECT id, room_user_id, created, modified FROM inserted`,
        [
          roomId,
          ids,
          posts.map((post) => post.userId),
          posts.map((post) => post.parentId),
          posts.map((post) => post.body),
        ],
      );
      const inserted = new Map(rows.map((row) => [row.id, row]));
      const metadata = this.dataSource.getMetadata(Message);
      return posts.map((post, index) => {
        const row = inserted.get(ids[index]);
        if (!row) {
          return null;
        }
        const message = {
          ...post,
          roomId,
          id: row.id,
          roomUserId: row.room_user_id,
          created: row.created,
          modified: row.modified,
          isReaction: false,
        };
        runner.broadcaster.broadcastAfterInsertEvent(new BroadcasterResult(), metadata, message);
        return { ...message, images: [], reactions: [] };
      });
    } catch (error) {
      if (manager === null && posts.length === 1 && isForeignKeyViolation(error)) {
        return [null]; // the room or the author went away meanwhile; the checks say which
      }
      throw error;
    } finally {
      if (manager === null) {
        await runner.release();
      }
    }
  }

  /** One message, as `insertMessages` inserts them. */
  private async insertMessage(manager: EntityManager, roomId: string, post: NewMessage): Promise<MessageView | null> {
    const [message] = await this.insertMessages(manager, roomId, [post]);
    return message;
  }

  /** A message inserted after `becomeMember`: its author stops being a member only when removed meanwhile. */
  private requireInserted(message: MessageView | null): MessageView {
    if (!message) {
      throw notFound('Room');
    }
    return message;
  }

  /** The same reaction by the same user to the same message exists once (a database constraint). */
  private async react(
    manager: EntityManager,
    values: { roomId: string; roomUserId: string; userId: string; parentId: string; body: string },
  ): Promise<string> {
    const result = await manager
      .createQueryBuilder()
      .insert()
      .into(Message)
      .values({ ...values, isReaction: true })
      .orIgnore()
      .execute();
    const inserted = result.identifiers[0] as { id?: string } | undefined;
    if (inserted?.id) {
      return inserted.id;
    }
    const existing = await manager
      .getRepository(Message)
      .findOneByOrFail({ parentId: values.parentId, userId: values.userId, body: values.body, isReaction: true });
    return existing.id;
  }

  private async markSeen(manager: EntityManager, roomId: string, userId: string, messageIds: string[]): Promise<void> {
    if (messageIds.length === 0) {
      return;
    }
    const [{ counted }] = await manager.query<{ counted: number }[]>(
      `WITH marked AS (
         INSERT INTO message_seen_by (message_id, user_id) SELECT unnest($1::uuid[]), $2
         ON CONFLICT DO NOTHING RETURNING message_id
       ), received AS (
         INSERT INTO message_received_by (message_id, user_id) SELECT unnest($1::uuid[]), $2 ON CONFLICT DO NOTHING
       )
       SELECT count(*)::int AS counted FROM marked JOIN messages m ON m.id = marked.message_id WHERE NOT m.is_reaction`,
      [messageIds, userId],
    );
    if (counted > 0) {
      await manager.query(
        `INSERT INTO room_read_states (room_id, user_id, seen_count) VALUES ($1, $2, $3)
         ON CONFLICT (room_id, user_id) DO UPDATE SET seen_count = room_read_states.seen_count + EXCLUDED.seen_count`,
        [roomId, userId, counted],
      );
    }
  }

  /** Posting makes the caller a member; joining a public room this way mutes it, as the original did. */
  private async becomeMember(manager: EntityManager, auth: AuthUser, access: RoomAccess): Promise<string> {
    if (access.roomUserId) {
      return access.roomUserId;
    }
    const roomUser = await this.roomUsers.join(manager, access.roomId, auth.id);
    if (access.isPublic && !access.isAdmin) {
      await this.roomUsers.setMuted(access.roomId, auth.id, true, manager);
    }
    return roomUser.id;
  }

  private checkBody(body: string, options: { isReaction: boolean; mayBeEmpty: boolean }): void {
    const max = options.isReaction ? MAX_REACTION_LENGTH : this.config.limits.messageBodyLength;
    if (body.length > max) {
      throw invalid('body', `body must be at most ${max} characters long`);
    }
    if (body.trim() === '' && !options.mayBeEmpty) {
      throw new AppError(
        'required',
        options.isReaction ? 'A reaction needs a body' : 'body may be empty only for a message with images',
        'body',
      );
    }
  }

  private async checkParent(
    manager: EntityManager,
    roomId: string,
    parentId: string | null,
    isReaction: boolean,
  ): Promise<string | null> {
    if (parentId === null) {
      if (isReaction) {
        throw new AppError('required', 'A reaction needs the parent_id of the message reacted to', 'parent_id');
      }
      return null;
    }
    const [parent] = await manager.query<
      {
        room_id: string;
        is_reaction: boolean;
      }[]
    >('SELECT room_id, is_reaction FROM messages WHERE id = $1 FOR KEY SHARE', [parentId]);
    if (!parent || parent.room_id !== roomId) {
      throw invalid('parent_id', 'parent_id must be a message of this room');
    }
    if (parent.is_reaction) {
      throw invalid('parent_id', 'A reaction cannot be replied or reacted to');
    }
    return parentId;
  }

  private async countMessages(roomId: string, parentId: string | null): Promise<number> {
    if (parentId) {
      const [row] = await this.dataSource.query<{ count: number }[]>(
        'SELECT count(*)::int AS count FROM messages WHERE parent_id = $1 AND NOT is_reaction',
        [parentId],
      );
      return row.count;
    }
    const [row] = await this.dataSource.query<
      {
        message_count: number;
      }[]
    >('SELECT message_count FROM room_stats WHERE room_id = $1', [roomId]);
    return row?.message_count ?? 0;
  }

  private async parseCursor(roomId: string, query: MessageListQueryDto): Promise<Cursor | null> {
    if (query.before !== undefined && query.after !== undefined) {
      throw invalid('before', 'Use before or after, not both');
    }
    const kind = query.before !== undefined ? 'before' : query.after !== undefined ? 'after' : null;
    if (kind === null) {
      return null;
    }
    if (query.offset !== undefined) {
      throw invalid('offset', `offset cannot be combined with ${kind}`);
    }
    return { kind, id: await this.requireMessageId(roomId, query[kind]!, kind) };
  }

  /** The id, when it names a message of this room; else a 400 on `field`. */
  private async requireMessageId(roomId: string, id: string, field: string): Promise<string> {
    const found =
      isId(id) &&
      (await this.dataSource.query<unknown[]>('SELECT 1 FROM messages WHERE id = $1 AND room_id = $2', [id, roomId]))
        .length > 0;
    if (!found) {
      throw invalid(field, `${field} must be the id of a message of this room`);
    }
    return id;
  }

  private cursorLinks(page: PageRequest, results: MessageDto[], olderExist: boolean, newerExist: boolean) {
    const link = (kind: 'before' | 'after', id: string) => {
      const url = new URL(page.url);
      url.searchParams.delete('before');
      url.searchParams.delete('after');
      url.searchParams.set(kind, id);
      url.searchParams.set('limit', String(page.limit));
      return url.toString();
    };
    const first = results[0];
    const last = results[results.length - 1];
    return {
      next: last && olderExist ? link('before', last.id) : null,
      previous: first && newerExist ? link('after', first.id) : null,
    };
  }

  private async requireEntity(manager: EntityManager, roomId: string, messageId: string) {
    const message = isId(messageId) ? await manager.getRepository(Message).findOneBy({ id: messageId, roomId }) : null;
    if (!message) {
      throw notFound('Message');
    }
    return message;
  }

  private async requireDto(auth: AuthUser, roomId: string, messageId: string): Promise<MessageDto> {
    const read = isId(messageId) ? await this.views.byIds([messageId], auth.id) : null;
    const [dto] = read ? this.toDtos(auth, read) : [];
    if (!dto || dto.room_id !== roomId) {
      throw notFound('Message');
    }
    return dto;
  }

  /** Resolves views for one caller (is_me, is_seen_by_me). */
  private toDtos(auth: Pick<AuthUser, 'id'>, { views, seen }: ViewsForViewer): MessageDto[] {
    return views.map((view) => mapMessage(view, { userId: auth.id, seen }));
  }
}
