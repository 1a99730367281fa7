import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { limitOffset, PageRequest } from '../common/http/pagination';
import { ImageRow } from '../images/dto/image.dto';
import { imagesJsonOf } from '../images/images.repository';
import { MessageImagesService } from '../images/message-images.service';
import { isMutedOf, roomIdsOfMember } from '../room-users/room-users.repository';
import type { MessageView } from './dto/message.dto';
import { MessageMention } from './message-mention.entity';
import { MessageSeen } from './message-seen.entity';
import { Message } from './message.entity';

export interface MessageRow {
  id: string;
  created: Date;
  modified: Date;
  room_id: string;
  room_user_id: string;
  user_id: string | null;
  body: string;
  parent_id: string | null;
  is_reaction: boolean;
  client_id: string | null;
}

/** A message's own columns on alias `alias` (not its search vector, which no view reads). */
const columnsOf = (alias: string): string =>
  ['id', 'created', 'modified', 'room_id', 'room_user_id', 'user_id', 'body', 'parent_id', 'is_reaction', 'client_id']
    .map((column) => `${alias}.${column}`)
    .join(', ');

const MESSAGE_COLUMNS = columnsOf('m');

/** A reaction as the view columns give it: JSON, so its timestamps are ISO strings. */
interface ReactionJson extends Omit<MessageRow, 'created' | 'modified'> {
  created: string;
  modified: string;
  is_seen: boolean;
  images: ImageRow[];
}

/** One reaction body on a message: how many, and who (so that each recipient of a push learns if it is theirs). */
interface ReactionCountJson {
  body: string;
  count: number;
  user_ids: string[];
}

/** A row read with `messageViewColumns`: the message, its reactions and images, and what the viewer has seen. */
interface MessageViewRow extends MessageRow {
  is_seen: boolean;
  mentions: string[];
  reactions: ReactionJson[];
  reaction_counts: ReactionCountJson[];
  images: ImageRow[];
}

/** A `MessageViewRow` read as JSON (e.g. nested in another row with `row_to_json`): timestamps are ISO strings. */
export type MessageViewJson = Omit<MessageViewRow, 'created' | 'modified'> & { created: string; modified: string };

/** Views as one viewer reads them: the views, and the ids (of messages and reactions) the viewer has seen. */
export interface ViewsForViewer {
  views: MessageView[];
  seen: Set<string>;
}

/** A message to insert; its id is chosen by the caller, so that replies can point at it at once. */
export type NewMessageRecord = Pick<Message, 'id' | 'roomId' | 'roomUserId' | 'userId' | 'parentId' | 'body'> & {
  isReaction?: boolean;
  clientId?: string | null;
  /** User ids its body mentions, resolved by the caller. */
  mentions?: string[];
};

/** What identifies a send across repeats: its author and their client_id. */
export const clientIdKey = (key: { userId: string; clientId: string }): string => `${key.userId}/${key.clientId}`;

export type Cursor = { kind: 'before' | 'after'; id: string };

/** Whether the viewer (SQL parameter `viewer`, NULL for nobody) has seen message alias `alias`. */
const seenBy = (alias: string, viewer: string) =>
  `EXISTS (SELECT 1 FROM message_seen_by s WHERE s.message_id = ${alias}.id AND s.user_id = ${viewer})`;

/** A message's view lists at most this many of its reactions, the latest; `reaction_counts` counts them all. */
export const REACTIONS_SHOWN = 100;

/**
 * The select list of a message view (messages as `m`), for the viewer in SQL parameter `viewer`: the
 * message, its latest reactions (oldest first) with their images, the count of each reaction body (most
 * used first), its images, the users it mentions, and whether the viewer has seen each. One statement reads a whole page of
 * views, however many messages, reactions and images.
 */
export function messageViewColumns(viewer: string): string {
  return `${MESSAGE_COLUMNS}, ${seenBy('m', viewer)} AS is_seen, ${imagesJsonOf('m')} AS images,
    ARRAY(SELECT mm.user_id FROM message_mentions mm WHERE mm.message_id = m.id ORDER BY mm.user_id) AS mentions,
    COALESCE((SELECT json_agg(json_build_object(
        'id', r.id, 'created', r.created, 'modified', r.modified, 'room_id', r.room_id,
        'room_user_id', r.room_user_id, 'user_id', r.user_id, 'body', r.body, 'parent_id', r.parent_id,
        'is_reaction', r.is_reaction, 'client_id', r.client_id, 'is_seen', ${seenBy('r', viewer)}, 'images', ${imagesJsonOf('r')})
        ORDER BY r.created, r.id)
      FROM (SELECT ${columnsOf('r')} FROM messages r WHERE r.parent_id = m.id AND r.is_reaction
             ORDER BY r.created DESC, r.id DESC LIMIT ${REACTIONS_SHOWN}) r), '[]'::json) AS reactions,
    COALESCE((SELECT json_agg(json_build_object('body', c.body, 'count', c.count, 'user_ids', c.user_ids)
        ORDER BY c.count DESC, c.first_used, c.body)
      FROM (SELECT r.body, count(*)::int AS count, array_agg(r.user_id) AS user_ids, min(r.created) AS first_used
              FROM messages r WHERE r.parent_id = m.id AND r.is_reaction GROUP BY r.body) c), '[]'::json)
      AS reaction_counts`;
}

/**
 * The room's last message as the viewer in SQL parameter `viewer` sees it, as JSON (`MessageViewJson`),
 * for the rooms repository to embed; `stats` is the alias of the room's `room_stats` row.
 */
export const lastMessageJsonOf = (stats: string, viewer: string): string =>
  `(SELECT row_to_json(v) FROM (SELECT ${messageViewColumns(viewer)} FROM messages m WHERE m.id = ${stats}.last_message_id) v)`;

/** The room of the message whose id is SQL expression `id` (null when there is no such message). */
export const roomIdOfMessage = (id: string): string => `(SELECT m.room_id FROM messages m WHERE m.id = ${id})`;

/**
 * Room alias `room`'s counters as `s` (`room_stats`, kept by the database's triggers: `message_count`,
 * `last_message_id`, `last_activity_at`), for the rooms repository to join.
 */
export const roomStatsJoin = (room: string): string => `LEFT JOIN room_stats s ON s.room_id = ${room}.id`;

/** `roomStatsJoin`, and the viewer's read position as `rs` (`seen_count`, `mention_new_count`). */
export const roomCountersJoin = (room: string, viewer: string): string =>
  `${roomStatsJoin(room)}
   LEFT JOIN room_read_states rs ON rs.room_id = ${room}.id AND rs.user_id = ${viewer}`;

/** Every query of the messages module's tables: messages, seen marks and the per-room counters. */
@Injectable()
export class MessagesRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly images: MessageImagesService,
  ) {}

  /** Views of the messages with these ids, in the order given, for a viewer (or none); missing ids are skipped. */
  async viewsByIds(
    ids: string[],
    viewerId: string | null,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<ViewsForViewer> {
    if (ids.length === 0) {
      return { views: [], seen: new Set() };
    }
    const rows = await manager.query<MessageViewRow[]>(
      `SELECT ${messageViewColumns('$2::uuid')} FROM messages m WHERE m.id = ANY($1)`,
      [ids, viewerId],
    );
    const byId = new Map(rows.map((row) => [row.id, row]));
    return this.fromRows(ids.map((id) => byId.get(id)).filter((row): row is MessageViewRow => row !== undefined));
  }

  /** Views from rows read with `messageViewColumns` and returned as JSON, in their order. */
  viewsFromJson(rows: MessageViewJson[]): ViewsForViewer {
    return this.fromRows(rows.map(withDates));
  }

  /**
   * A page of a room's non-reaction messages (or of one thread), newest first. The page's messages are
   * chosen first and only they are made into views: view columns computed in the same scan would run for
   * every row an OFFSET skips, and the planner could read all of the viewer's seen marks into a hash.
   */
  async pageNewestFirst(roomId: string, parentId: string | null, viewerId: string, page: PageRequest) {
    const { filter, parameters } = historyFilter(roomId, parentId);
    const newestFirst = 'm.created DESC, m.id DESC';
    const rows = await this.dataSource.query<MessageViewRow[]>(
      `SELECT ${messageViewColumns(`$${parameters.length + 1}::uuid`)}
         FROM (SELECT ${columnsOf('m')} FROM messages m WHERE ${filter}
                ORDER BY ${newestFirst} ${limitOffset(page, parameters.length + 2)}) m
        ORDER BY ${newestFirst}`,
      [...parameters, viewerId, page.offset],
    );
    return this.fromRows(rows);
  }

  /**
   * Up to `limit` messages just older (`before`) or newer (`after`) than the cursor's, newest first
   * either way; `hasMore` tells whether more lie beyond them.
   */
  async pageFromCursor(roomId: string, parentId: string | null, viewerId: string, cursor: Cursor, limit: number) {
    const { filter, parameters } = historyFilter(roomId, parentId);
    const older = cursor.kind === 'before';
    const order = older ? 'm.created DESC, m.id DESC' : 'm.created ASC, m.id ASC';
    const rows = await this.dataSource.query<MessageViewRow[]>(
      `SELECT ${messageViewColumns(`$${parameters.length + 1}::uuid`)}
         FROM (SELECT ${columnsOf('m')} FROM messages m
                WHERE ${filter}
                  AND (m.created, m.id) ${older ? '<' : '>'}
                      (SELECT c.created, c.id FROM messages c WHERE c.id = $${parameters.length + 2})
                ORDER BY ${order} LIMIT ${limit + 1}) m
        ORDER BY ${order}`,
      [...parameters, viewerId, cursor.id],
    );
    const pageRows = rows.slice(0, limit);
    if (!older) {
      pageRows.reverse();
    }
    return { ...this.fromRows(pageRows), hasMore: rows.length > limit };
  }

  /** Non-reaction messages of a room (from its counters), or replies in one thread. */
  async count(roomId: string, parentId: string | null): Promise<number> {
    const [row] = parentId
      ? await this.dataSource.query<{ count: number }[]>(
          'SELECT count(*)::int AS count FROM messages WHERE parent_id = $1 AND NOT is_reaction',
          [parentId],
        )
      : await this.dataSource.query<{ count: number }[]>(
          'SELECT message_count AS count FROM room_stats WHERE room_id = $1',
          [roomId],
        );
    return row?.count ?? 0;
  }

  async existsInRoom(messageId: string, roomId: string): Promise<boolean> {
    return this.dataSource.getRepository(Message).existsBy({ id: messageId, roomId });
  }

  findById(messageId: string, manager: EntityManager = this.dataSource.manager): Promise<Message | null> {
    return manager.getRepository(Message).findOneBy({ id: messageId });
  }

  findInRoom(manager: EntityManager, roomId: string, messageId: string): Promise<Message | null> {
    return manager.getRepository(Message).findOneBy({ id: messageId, roomId });
  }

  lockById(manager: EntityManager, messageId: string): Promise<Message | null> {
    return manager.getRepository(Message).findOne({ where: { id: messageId }, lock: { mode: 'pessimistic_write' } });
  }

  /**
   * A parent to be, held so that it is not deleted before its reply or reaction commits; `exclusive` also
   * makes reactions to it wait for each other (so that a limit on them holds).
   */
  async holdParent(
    manager: EntityManager,
    parentId: string,
    exclusive = false,
  ): Promise<{ roomId: string; isReaction: boolean } | null> {
    const [parent] = await manager.query<{ room_id: string; is_reaction: boolean }[]>(
      `SELECT room_id, is_reaction FROM messages WHERE id = $1 ${exclusive ? 'FOR NO KEY UPDATE' : 'FOR KEY SHARE'}`,
      [parentId],
    );
    return parent ? { roomId: parent.room_id, isReaction: parent.is_reaction } : null;
  }

  /** The bodies of a user's reactions to a message. */
  async reactionBodiesOf(manager: EntityManager, parentId: string, userId: string): Promise<string[]> {
    const reactions = await manager
      .getRepository(Message)
      .find({ select: { body: true }, where: { parentId, userId, isReaction: true } });
    return reactions.map((reaction) => reaction.body);
  }

  /**
   * The ids among `ids` of messages of this room, held so that they cannot be deleted before being
   * marked; in id order, as deletion locks them, so the two cannot deadlock.
   */
  async holdInRoom(manager: EntityManager, ids: string[], roomId: string): Promise<string[]> {
    const rows = await manager.query<{ id: string }[]>(
      'SELECT m.id FROM messages m WHERE m.id = ANY($1) AND m.room_id = $2 ORDER BY m.id FOR KEY SHARE',
      [ids, roomId],
    );
    return rows.map((row) => row.id);
  }

  /** The message's reactions, locked with the message in id order (as `holdInRoom` takes them). */
  async lockWithReactions(manager: EntityManager, message: Message): Promise<Message[] | null> {
    const locked = await manager.query<{ id: string }[]>(
      'SELECT id FROM messages WHERE id = $1 OR (parent_id = $1 AND is_reaction) ORDER BY id FOR UPDATE',
      [message.id],
    );
    if (!locked.some((row) => row.id === message.id)) {
      return null;
    }
    const reactionIds = locked.map((row) => row.id).filter((id) => id !== message.id);
    return reactionIds.length === 0 ? [] : manager.getRepository(Message).findBy(reactionIds.map((id) => ({ id })));
  }

  /**
   * Inserts messages in one statement, then their mentions in one more (when there are any); the
   * database's triggers count them in their rooms, mark them seen by their authors and count the
   * mentions. Answers the records with the times the database gave them.
   */
  async insert(manager: EntityManager, records: NewMessageRecord[]): Promise<Message[]> {
    const values = records.map((record) => ({ isReaction: false, ...record }) as Message);
    await manager.createQueryBuilder().insert().into(Message).values(values).execute();
    const mentions = values.flatMap((message) =>
      (message.mentions ?? []).map((userId) => ({ messageId: message.id, userId, roomId: message.roomId })),
    );
    if (mentions.length > 0) {
      await manager.createQueryBuilder().insert().into(MessageMention).values(mentions).updateEntity(false).execute();
    }
    return values;
  }

  /** Makes the message's mentions these users: others go, new ones come (the triggers keep the counts). */
  async replaceMentions(manager: EntityManager, message: Message, userIds: string[]): Promise<void> {
    await manager.query('DELETE FROM message_mentions WHERE message_id = $1 AND NOT (user_id = ANY($2::uuid[]))', [
      message.id,
      userIds,
    ]);
    if (userIds.length > 0) {
      await manager.query(
        `INSERT INTO message_mentions (message_id, user_id, room_id)
         SELECT $1, unnest($2::uuid[]), $3 ON CONFLICT DO NOTHING`,
        [message.id, userIds, message.roomId],
      );
    }
  }

  /**
   * The same reaction by the same user to the same message exists once, as does a user's client_id
   * (database constraints). Answers the id of the reaction, new or existing, or `repeat` when the
   * client_id had stored a message already.
   */
  async insertReaction(
    manager: EntityManager,
    values: {
      roomId: string;
      roomUserId: string;
      userId: string;
      parentId: string;
      body: string;
      clientId: string | null;
    },
  ): Promise<{ reactionId: string } | 'repeat'> {
    const result = await manager
      .createQueryBuilder()
      .insert()
      .into(Message)
      .values({ ...values, isReaction: true })
      .orIgnore()
      .execute();
    const inserted = result.identifiers[0] as { id?: string } | undefined;
    if (inserted?.id) {
      return { reactionId: inserted.id };
    }
    if (values.clientId !== null) {
      const repeated = await this.findByClientIds([{ userId: values.userId, clientId: values.clientId }], manager);
      if (repeated.size > 0) {
        return 'repeat';
      }
    }
    const existing = await manager
      .getRepository(Message)
      .findOneByOrFail({ parentId: values.parentId, userId: values.userId, body: values.body, isReaction: true });
    return { reactionId: existing.id };
  }

  /** The messages these users stored with these client_ids, by `clientIdKey`. */
  async findByClientIds(
    keys: { userId: string; clientId: string }[],
    manager: EntityManager = this.dataSource.manager,
  ): Promise<Map<string, { id: string; roomId: string }>> {
    if (keys.length === 0) {
      return new Map();
    }
    // `client_id IS NOT NULL` lets the planner use the partial unique index.
    const rows = await manager.query<{ id: string; room_id: string; user_id: string; client_id: string }[]>(
      `SELECT m.id, m.room_id, m.user_id, m.client_id FROM messages m
         JOIN unnest($1::uuid[], $2::text[]) AS k(user_id, client_id)
           ON m.user_id = k.user_id AND m.client_id = k.client_id
        WHERE m.client_id IS NOT NULL`,
      [keys.map((key) => key.userId), keys.map((key) => key.clientId)],
    );
    return new Map(
      rows.map((row) => [
        clientIdKey({ userId: row.user_id, clientId: row.client_id }),
        { id: row.id, roomId: row.room_id },
      ]),
    );
  }

  async save(manager: EntityManager, message: Message): Promise<void> {
    await manager.getRepository(Message).save(message);
  }

  /** Removes messages; the database's triggers keep the counters and read positions. */
  async remove(manager: EntityManager, messages: Message[]): Promise<void> {
    if (messages.length > 0) {
      await manager.getRepository(Message).remove(messages);
    }
  }

  /** Marks messages seen by a user (marks that exist stay); the triggers move their read positions. */
  async markSeen(manager: EntityManager, userId: string, messageIds: string[]): Promise<void> {
    if (messageIds.length === 0) {
      return;
    }
    await manager
      .createQueryBuilder()
      .insert()
      .into(MessageSeen)
      .values(messageIds.map((messageId) => ({ messageId, userId })))
      .orIgnore()
      .updateEntity(false)
      .execute();
  }

  /**
   * The rooms of these messages (reactions not counted), with the user's counts of messages not seen in
   * each, and of those that mention them.
   */
  async seenSummary(
    userId: string,
    messageIds: string[],
  ): Promise<{ roomId: string; messageIds: string[]; newCount: number; mentionNewCount: number }[]> {
    const rows = await this.dataSource.query<
      { room_id: string; ids: string[]; new_count: number; mention_new_count: number }[]
    >(
      `SELECT m.room_id, array_agg(m.id ORDER BY m.created, m.id) AS ids,
              GREATEST(COALESCE(s.message_count, 0) - COALESCE(rs.seen_count, 0), 0)::int AS new_count,
              COALESCE(rs.mention_new_count, 0) AS mention_new_count
         FROM messages m
         LEFT JOIN room_stats s ON s.room_id = m.room_id
         LEFT JOIN room_read_states rs ON rs.room_id = m.room_id AND rs.user_id = $1
        WHERE m.id = ANY($2::uuid[]) AND NOT m.is_reaction
        GROUP BY m.room_id, s.message_count, rs.seen_count, rs.mention_new_count`,
      [userId, messageIds],
    );
    return rows.map((row) => ({
      roomId: row.room_id,
      messageIds: row.ids,
      newCount: row.new_count,
      mentionNewCount: row.mention_new_count,
    }));
  }

  /**
   * What a user has not seen over the rooms they are an active member of: rooms with unseen messages and
   * those messages (muted rooms left out), and unseen mentions (muted rooms included). From the counters:
   * one row per room of the user, whatever the history.
   */
  async unseenTotals(
    userId: string,
  ): Promise<{ roomsWithNewMessages: number; messageNewCount: number; mentionNewCount: number }> {
    const [row] = await this.dataSource.query<{ rooms: number; messages: number; mentions: number }[]>(
      `SELECT count(*) FILTER (WHERE NOT c.muted AND c.new > 0)::int AS rooms,
              COALESCE(sum(c.new) FILTER (WHERE NOT c.muted), 0)::int AS messages,
              COALESCE(sum(c.mentions), 0)::int AS mentions
         FROM (SELECT GREATEST(COALESCE(s.message_count, 0) - COALESCE(rs.seen_count, 0), 0) AS new,
                      COALESCE(rs.mention_new_count, 0) AS mentions, ${isMutedOf('r', '$1::uuid')} AS muted
                 FROM rooms r ${roomCountersJoin('r', '$1::uuid')}
                WHERE r.id IN ${roomIdsOfMember('$1::uuid')}) c`,
      [userId],
    );
    return { roomsWithNewMessages: row.rooms, messageNewCount: row.messages, mentionNewCount: row.mentions };
  }

  async seenBy(messageIds: string[]): Promise<Map<string, string[]>> {
    const rows = await this.dataSource.query<{ message_id: string; users: string[] }[]>(
      'SELECT message_id, array_agg(user_id) AS users FROM message_seen_by WHERE message_id = ANY($1) GROUP BY message_id',
      [messageIds],
    );
    return new Map(rows.map((row) => [row.message_id, row.users]));
  }

  async totals(): Promise<{ messages: number; reactions: number }> {
    const [row] = await this.dataSource.query<{ messages: number; reactions: number }[]>(
      `SELECT count(*) FILTER (WHERE NOT is_reaction)::int AS messages,
              count(*) FILTER (WHERE is_reaction)::int AS reactions
         FROM messages`,
    );
    return row;
  }

  private fromRows(rows: MessageViewRow[]): ViewsForViewer {
    const seen = new Set<string>();
    const images = (list: ImageRow[]) => list.map((image) => this.images.toView(image));
    const views = rows.map((row) => {
      if (row.is_seen) {
        seen.add(row.id);
      }
      const reactions = row.reactions.map((reaction) => {
        if (reaction.is_seen) {
          seen.add(reaction.id);
        }
        return toView({ ...withDates(reaction), mentions: [] }, images(reaction.images), [], []);
      });
      const counts = row.reaction_counts.map((count) => ({
        body: count.body,
        count: count.count,
        userIds: count.user_ids,
      }));
      return toView(row, images(row.images), reactions, counts);
    });
    return { views, seen };
  }
}

function historyFilter(roomId: string, parentId: string | null) {
  return parentId
    ? { filter: 'm.room_id = $1 AND NOT m.is_reaction AND m.parent_id = $2', parameters: [roomId, parentId] }
    : { filter: 'm.room_id = $1 AND NOT m.is_reaction', parameters: [roomId] };
}

function withDates<T extends { created: string; modified: string }>(
  row: T,
): Omit<T, 'created' | 'modified'> & { created: Date; modified: Date } {
  return { ...row, created: new Date(row.created), modified: new Date(row.modified) };
}

function toView(
  row: MessageRow & { mentions: string[] },
  images: MessageView['images'],
  reactions: MessageView[],
  reactionCounts: MessageView['reactionCounts'],
): MessageView {
  return {
    id: row.id,
    created: row.created,
    modified: row.modified,
    roomId: row.room_id,
    roomUserId: row.room_user_id,
    userId: row.user_id,
    body: row.body,
    parentId: row.parent_id,
    isReaction: row.is_reaction,
    clientId: row.client_id,
    images,
    reactions,
    reactionCounts,
    mentions: row.mentions,
  };
}
