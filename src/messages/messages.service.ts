import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { RoomAccess, RoomAccessService } from '../access/room-access.service';
import type { AuthUser } from '../auth/auth-user';
import { APP_CONFIG, AppConfig } from '../common/config/config';
import { KeyedBatcher } from '../common/database/keyed-batcher';
import { isForeignKeyViolation, isUniqueViolation } from '../common/database/postgres-errors';
import { AppError, forbidden, invalid, notFound } from '../common/errors/app-error';
import { Page, PageRequest, toPage, toPageRequest } from '../common/http/pagination';
import { isId } from '../common/validation/decorators';
import { MessageImagesService } from '../images/message-images.service';
import { RoomUsersService } from '../room-users/room-users.service';
import {
  CreateMessageDto,
  MessageListQueryDto,
  SeenDto,
  SeenResultDto,
  UpdateMessageDto,
} from './dto/message-input.dto';
import { mapMessage, MessageDto, MessageView, newMessageView } from './dto/message.dto';
import { mentionCandidates, resolveMentions } from './mentions';
import { Message } from './message.entity';
import {
  clientIdKey,
  Cursor,
  MessagesRepository,
  MessageViewJson,
  NewMessageRecord,
  ViewsForViewer,
} from './messages.repository';

/** Reactions are short by nature: a symbol or a word. */
export const MAX_REACTION_LENGTH = 64;

/** Different reactions one user may put on one message. */
export const MAX_REACTIONS_PER_USER = 20;

/** A member's post that replies to nothing: what the batched path stores. */
interface Post {
  userId: string;
  body: string;
  clientId: string | null;
}

/** A message as sent: `isNew` is false when it repeats a request with the same client_id. */
export interface SentMessage {
  message: MessageDto;
  isNew: boolean;
}

@Injectable()
export class MessagesService {
  /**
   * Members' posts that reply to nothing, batched per room: the posts that arrive while one statement
   * of a room runs are stored together by the next.
   */
  private readonly posts = new KeyedBatcher<string, Post, MessageView | 'repeat' | null>((roomId, posts) =>
    this.postAsMembers(roomId, posts),
  );

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly access: RoomAccessService,
    private readonly roomUsers: RoomUsersService,
    private readonly messages: MessagesRepository,
    private readonly images: MessageImagesService,
  ) {}

  async list(auth: AuthUser, roomId: string, query: MessageListQueryDto, url: URL): Promise<Page<MessageDto>> {
    await this.access.requireVisible(auth, roomId);
    const page = toPageRequest(query, url);
    const parentId =
      query.parent_id === undefined ? null : await this.requireMessageId(roomId, query.parent_id, 'parent_id');
    const cursor = await this.parseCursor(roomId, query);
    const count = await this.messages.count(roomId, parentId);
    if (!cursor) {
      return toPage(
        page,
        count,
        this.toDtos(auth, await this.messages.pageNewestFirst(roomId, parentId, auth.id, page)),
      );
    }
    const { hasMore, ...views } = await this.messages.pageFromCursor(roomId, parentId, auth.id, cursor, page.limit);
    const results = this.toDtos(auth, views);
    const older = cursor.kind === 'before';
    return { count, ...this.cursorLinks(page, results, older ? hasMore : true, older ? true : hasMore), results };
  }

  async get(auth: AuthUser, roomId: string, messageId: string): Promise<MessageDto> {
    await this.access.requireVisible(auth, roomId);
    return this.requireDto(auth, roomId, messageId);
  }

  async create(auth: AuthUser, roomId: string, dto: CreateMessageDto): Promise<MessageDto> {
    return (await this.send(auth, roomId, dto)).message;
  }

  /**
   * Stores a message, reply or reaction; `isNew` is false when the caller's `client_id` had stored one
   * already, which is then answered instead (whatever its body or room), and nothing is stored.
   */
  async send(auth: AuthUser, roomId: string, dto: CreateMessageDto): Promise<SentMessage> {
    const isReaction = dto.is_reaction ?? false;
    const clientId = dto.client_id ?? null;
    this.checkBody(dto.body, { isReaction, mayBeEmpty: false });
    if (!isReaction && (dto.parent_id ?? null) === null && isId(roomId)) {
      // The common case takes the batched path; whoever is not a member yet takes the one below.
      const posted = await this.posts.submit(roomId, { userId: auth.id, body: dto.body, clientId });
      if (posted === 'repeat') {
        return this.requireRepeat(auth, clientId!);
      }
      if (posted) {
        return { message: mapMessage(posted, { userId: auth.id, seen: new Set() }), isNew: true };
      }
    }
    let created: MessageView | { reactionId: string } | 'repeat';
    try {
      created = await this.dataSource.transaction(async (manager) => {
        const access = await this.access.requireVisible(auth, roomId, manager, 'keep');
        const parentId = await this.checkParent(manager, roomId, dto.parent_id ?? null, isReaction);
        const roomUserId = await this.becomeMember(manager, auth, access);
        if (isReaction) {
          const bodies = await this.messages.reactionBodiesOf(manager, parentId!, auth.id);
          if (!bodies.includes(dto.body) && bodies.length >= MAX_REACTIONS_PER_USER) {
            throw invalid('body', `At most ${MAX_REACTIONS_PER_USER} different reactions per user on one message`);
          }
          return this.messages.insertReaction(manager, {
            roomId,
            roomUserId,
            userId: auth.id,
            parentId: parentId!,
            body: dto.body,
            clientId,
          });
        }
        const [message] = await this.insertWithMentions(manager, roomId, [
          { id: randomUUID(), roomId, roomUserId, userId: auth.id, parentId, body: dto.body, clientId },
        ]);
        return newMessageView(message);
      });
    } catch (error) {
      // A repeat that raced its first request to the insert: the unique index refused it, nothing stayed.
      const repeat = clientId !== null && isUniqueViolation(error) ? await this.findRepeat(auth, clientId) : null;
      if (repeat) {
        return repeat;
      }
      throw error;
    }
    if (created === 'repeat') {
      return this.requireRepeat(auth, clientId!);
    }
    // A reaction is answered as stored (it may have existed already).
    return 'reactionId' in created
      ? { message: await this.requireDto(auth, roomId, created.reactionId), isNew: true }
      : { message: mapMessage(created, { userId: auth.id, seen: new Set() }), isNew: true };
  }

  /** The message the caller first stored with this client_id, as they see it now; null when there is none. */
  private async findRepeat(auth: AuthUser, clientId: string): Promise<SentMessage | null> {
    const first = (await this.messages.findByClientIds([{ userId: auth.id, clientId }])).get(
      clientIdKey({ userId: auth.id, clientId }),
    );
    if (!first) {
      return null;
    }
    if (!(await this.access.find(auth, first.roomId))) {
      throw new AppError('conflict', 'client_id was used for a message in a room you cannot see', 'client_id');
    }
    return { message: await this.requireDto(auth, first.roomId, first.id), isNew: false };
  }

  private async requireRepeat(auth: AuthUser, clientId: string): Promise<SentMessage> {
    const repeat = await this.findRepeat(auth, clientId);
    if (!repeat) {
      // Its message was deleted between the insert that found it and this read.
      throw new AppError('conflict', 'client_id was used for a message that is gone; try again', 'client_id');
    }
    return repeat;
  }

  /** An empty message of the caller's in a room, to attach an image to (the images module). */
  async createForAttachment(manager: EntityManager, auth: AuthUser, roomId: string): Promise<string> {
    const access = await this.access.requireVisible(auth, roomId, manager, 'keep');
    const roomUserId = await this.becomeMember(manager, auth, access);
    const [message] = await this.messages.insert(manager, [
      { id: randomUUID(), roomId, roomUserId, userId: auth.id, parentId: null, body: '' },
    ]);
    return message.id;
  }

  /** The caller's own message, for attaching images to: 400 when not visible, 403 when someone else's. */
  async requireOwnMessage(auth: AuthUser, messageId: string, field: string, manager?: EntityManager) {
    const message = isId(messageId) ? await this.messages.findById(messageId, manager) : null;
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
      this.checkBody(dto.body, { isReaction: false, mayBeEmpty: await this.images.hasImages(manager, message.id) });
      if (message.body !== dto.body) {
        message.body = dto.body;
        await this.messages.save(manager, message);
        const [mentions] = await this.resolveMentions(manager, roomId, [dto.body]);
        await this.messages.replaceMentions(manager, message, mentions);
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
    await this.images.deleteFiles(fileKeys);
  }

  /**
   * Deletes a message left with neither body nor images, within the caller's transaction (the images
   * module, once a message's last image is moved away or deleted), so that no empty message stays.
   * Answers the keys of the files to delete once that transaction commits.
   */
  async deleteIfEmpty(manager: EntityManager, messageId: string): Promise<string[]> {
    const message = await this.messages.lockById(manager, messageId);
    if (!message || message.isReaction || message.body.trim() !== '') {
      return [];
    }
    return (await this.images.hasImages(manager, message.id)) ? [] : this.remove(manager, message);
  }

  /** Removes a message with its reactions (the parent's deletion is what clients are told); answers its files' keys. */
  private async remove(manager: EntityManager, message: Message): Promise<string[]> {
    const reactions = await this.messages.lockWithReactions(manager, message);
    if (reactions === null) {
      throw notFound('Message');
    }
    const keys = await this.images.storageKeysOfMessages(manager, [message.id, ...reactions.map((r) => r.id)]);
    await this.messages.remove(manager, [...reactions, message]);
    return keys;
  }

  /** Marks messages of this room seen by the caller; idempotent. Ids of other rooms are ignored. */
  async seen(auth: AuthUser, roomId: string, dto: SeenDto): Promise<SeenResultDto> {
    if (dto.message_ids.length > this.config.limits.seenIdsPerCall) {
      throw invalid('message_ids', `At most ${this.config.limits.seenIdsPerCall} message ids per call`);
    }
    const ids = [...new Set(dto.message_ids)];
    return this.dataSource.transaction(async (manager) => {
      await this.access.requireVisible(auth, roomId, manager, 'keep');
      const inRoom = await this.messages.holdInRoom(manager, ids, roomId);
      await this.messages.markSeen(manager, auth.id, inRoom);
      const found = new Set(inRoom);
      return { message_ids: ids.filter((id) => found.has(id)) };
    });
  }

  /** The views of messages by id, as nobody in particular sees them (for pushes). */
  async loadViews(ids: string[]): Promise<MessageView[]> {
    return (await this.messages.viewsByIds(ids, null)).views;
  }

  /** Message or reaction id → the users who have seen it (for pushes). */
  /** Messages a user marked seen, by room, with what is left unseen there (for their other devices). */
  seenSummary(userId: string, messageIds: string[]) {
    return this.messages.seenSummary(userId, messageIds);
  }

  seenBy(messageIds: string[]): Promise<Map<string, string[]>> {
    return this.messages.seenBy(messageIds);
  }

  /** A message read as JSON with the messages repository's `lastMessageJsonOf` (a room's last message), as the caller sees it. */
  dtoFromJson(auth: Pick<AuthUser, 'id'>, row: MessageViewJson): MessageDto {
    return this.toDtos(auth, this.messages.viewsFromJson([row]))[0];
  }

  /** What a user has not seen over their rooms (the user-chat module's `/me/`). */
  unseenTotals(userId: string) {
    return this.messages.unseenTotals(userId);
  }

  /** Site-wide counts, for the admin CLI. */
  totals(): Promise<{ messages: number; reactions: number }> {
    return this.messages.totals();
  }

  /**
   * Stores the posts of those who are active members of the room, in one statement that commits on its
   * own; null for the others (they take the checked path, which says why or makes them members).
   */
  private async postAsMembers(roomId: string, posts: Post[]): Promise<(MessageView | 'repeat' | null)[]> {
    const access = await this.access.findForUsers(roomId, [...new Set(posts.map((post) => post.userId))]);
    // A client_id sent twice within the batch is stored by its first post; the others repeat it.
    const firstWithClientId = new Set<string>();
    const records = posts.map((post): NewMessageRecord | 'repeat' | null => {
      const roomUserId = access.get(post.userId)?.roomUserId;
      if (!roomUserId) {
        return null;
      }
      if (post.clientId !== null) {
        const key = clientIdKey({ userId: post.userId, clientId: post.clientId });
        if (firstWithClientId.has(key)) {
          return 'repeat';
        }
        firstWithClientId.add(key);
      }
      const { userId, body, clientId } = post;
      return { id: randomUUID(), roomId, roomUserId, userId, parentId: null, body, clientId };
    });
    const accepted = records.filter((record) => record !== null && record !== 'repeat');
    let stored: Message[] = [];
    if (accepted.length > 0) {
      try {
        stored = await this.insertNewClientIds(roomId, accepted);
      } catch (error) {
        if (posts.length === 1 && isForeignKeyViolation(error)) {
          return [null]; // the room or the author went away meanwhile; the checks say which
        }
        throw error;
      }
    }
    const byId = new Map(stored.map((message) => [message.id, message]));
    return records.map((record) => {
      if (record === null || record === 'repeat') {
        return record;
      }
      const message = byId.get(record.id);
      return message ? newMessageView(message) : 'repeat';
    });
  }

  /**
   * Inserts the records in one statement, in a transaction of their own, leaving out those whose client_id an
   * earlier request stored: when the unique index refuses the statement (nothing of it stays), those are
   * read and the rest inserted again. Not `ON CONFLICT DO NOTHING`: TypeORM matches the returned rows to
   * the records by position, so a skipped row would shift the others and announce a row never stored.
   */
  private async insertNewClientIds(roomId: string, records: NewMessageRecord[]): Promise<Message[]> {
    for (;;) {
      try {
        // In a transaction of its own, so that the change log's entries commit with the messages.
        return await this.dataSource.transaction((manager) => this.insertWithMentions(manager, roomId, records));
      } catch (error) {
        const keys = records.flatMap(({ userId, clientId }) => (userId && clientId ? [{ userId, clientId }] : []));
        if (!isUniqueViolation(error) || keys.length === 0) {
          throw error;
        }
        const taken = await this.messages.findByClientIds(keys);
        const rest = records.filter(
          ({ userId, clientId }) => !(userId && clientId && taken.has(clientIdKey({ userId, clientId }))),
        );
        if (rest.length === records.length) {
          throw error;
        }
        if (rest.length === 0) {
          return [];
        }
        records = rest;
      }
    }
  }

  /**
   * Inserts messages of one room with the mentions of their bodies: the room's active members named as
   * `@username`, looked up for the whole batch in one statement (none when no body has an `@`).
   */
  private async insertWithMentions(
    manager: EntityManager,
    roomId: string,
    records: NewMessageRecord[],
  ): Promise<Message[]> {
    const mentions = await this.resolveMentions(
      manager,
      roomId,
      records.map((record) => record.body),
    );
    return this.messages.insert(
      manager,
      records.map((record, index) => ({ ...record, mentions: mentions[index] })),
    );
  }

  /** The user ids each body mentions among the room's active members. */
  private async resolveMentions(manager: EntityManager, roomId: string, bodies: string[]): Promise<string[][]> {
    const members = await this.roomUsers.activeMembersNamed(manager, roomId, mentionCandidates(bodies));
    return bodies.map((body) => (members.size === 0 ? [] : resolveMentions(body, members)));
  }

  /** Posting makes the caller a member; joining a public room this way mutes it, as the original did. */
  private async becomeMember(manager: EntityManager, auth: AuthUser, access: RoomAccess): Promise<string> {
    if (access.roomUserId) {
      return access.roomUserId;
    }
    const roomUser = await this.roomUsers.join(manager, access.roomId, auth.id);
    if (access.isPublic && !access.isAdmin) {
      await this.roomUsers.setMuted(manager, access.roomId, auth.id, true);
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
    // Reactions to one message wait for each other, so that the limit per user holds.
    const parent = isId(parentId) ? await this.messages.holdParent(manager, parentId, isReaction) : null;
    if (!parent || parent.roomId !== roomId) {
      throw invalid('parent_id', 'parent_id must be a message of this room');
    }
    if (parent.isReaction) {
      throw invalid('parent_id', 'A reaction cannot be replied or reacted to');
    }
    return parentId;
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
    if (!isId(id) || !(await this.messages.existsInRoom(id, roomId))) {
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
    const message = isId(messageId) ? await this.messages.findInRoom(manager, roomId, messageId) : null;
    if (!message) {
      throw notFound('Message');
    }
    return message;
  }

  private async requireDto(auth: AuthUser, roomId: string, messageId: string): Promise<MessageDto> {
    const read = isId(messageId) ? await this.messages.viewsByIds([messageId], auth.id) : null;
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
