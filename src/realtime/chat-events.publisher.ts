import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { MessagesService } from '../messages/messages.service';
import { RoomUsersService } from '../room-users/room-users.service';
import { ChatEvent, PushedMessage } from './chat-events';
import { EventBus } from './event-bus';

/** A committed change to an entity the websocket cares about. */
export type EntityChange =
  | {
      entity: 'message';
      kind: 'insert' | 'update' | 'remove';
      id: string;
      roomId: string;
      parentId: string | null;
      isReaction: boolean;
      body: string;
    }
  | { entity: 'image'; kind: 'insert' | 'update' | 'remove'; id: string; messageId: string }
  | { entity: 'room_user'; kind: 'insert' | 'update' | 'remove'; id: string }
  | { entity: 'room'; kind: 'insert' | 'update' | 'remove'; id: string }
  | { entity: 'user_chat'; kind: 'insert' | 'update' | 'remove'; id: string; userId: string };

/**
 * Turns committed changes into chat events, reading what the push needs once on the instance where the
 * change happened, and publishes them on the bus. The push rules of the contract live here.
 */
@Injectable()
export class ChatEventsPublisher {
  private readonly logger = new Logger('ChatEventsPublisher');
  private pending: EntityChange[] = [];
  private running: Promise<void> | null = null;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly messages: MessagesService,
    private readonly roomUsers: RoomUsersService,
    private readonly bus: EventBus,
  ) {}

  /**
   * Called from the commit hook; the work runs after the committing query runner is released. Changes
   * that commit while a batch is being published are published together in the next one, in order, so
   * a burst of messages costs a few reads rather than a few per message.
   */
  publishLater(changes: EntityChange[]): void {
    this.pending.push(...changes);
    this.running ??= this.drainPending();
  }

  /** Resolves once everything handed over so far has been published (for orderly shutdown). */
  async drain(): Promise<void> {
    while (this.running) {
      await this.running;
    }
  }

  private async drainPending(): Promise<void> {
    // Let the committing request finish before reading.
    await new Promise((resolve) => setImmediate(resolve));
    while (this.pending.length > 0) {
      const batch = this.pending;
      this.pending = [];
      try {
        for (const event of await this.toEvents(batch)) {
          await this.bus.publish(event);
        }
      } catch (error) {
        this.logger.error(`publishing failed: ${String(error)}`);
      }
    }
    this.running = null;
  }

  private async toEvents(changes: EntityChange[]): Promise<ChatEvent[]> {
    const messageIds = new Set<string>();
    const deleted: ChatEvent[] = [];
    const roomUserIds = new Set<string>();
    const usersOnlineChanged = new Set<string>();
    const roomsDeleted: ChatEvent[] = [];
    for (const change of changes) {
      switch (change.entity) {
        case 'message':
          if (change.isReaction) {
            // A reaction is never pushed as such: its parent is, with its new reactions.
            if (change.parentId) {
              messageIds.add(change.parentId);
            }
          } else if (change.kind === 'remove') {
            deleted.push({ type: 'message_deleted', roomId: change.roomId, messageId: change.id });
          } else {
            messageIds.add(change.id);
          }
          break;
        case 'image':
          messageIds.add(change.messageId);
          break;
        case 'room_user':
          roomUserIds.add(change.id);
          break;
        case 'user_chat':
          usersOnlineChanged.add(change.userId);
          break;
        case 'room':
          roomsDeleted.push({ type: 'room_deleted', roomId: change.id });
          break;
      }
    }
    for (const event of deleted) {
      if (event.type === 'message_deleted') {
        messageIds.delete(event.messageId);
      }
    }
    // Memberships first, so that a member who just joined receives the message that made them join.
    return [
      ...(await this.roomUserEvents([...roomUserIds], [...usersOnlineChanged])),
      ...(await this.messageEvents([...messageIds])),
      ...deleted,
      ...roomsDeleted,
    ];
  }

  /** Messages with neither body nor images are not pushed (an image upload's message waits for its image). */
  private async messageEvents(ids: string[]): Promise<ChatEvent[]> {
    const views = (await this.messages.loadViews(ids)).filter(
      (view) => !view.isReaction && (view.body !== '' || view.images.length > 0),
    );
    if (views.length === 0) {
      return [];
    }
    const seen = await this.dataSource.query<{ message_id: string; users: string[] }[]>(
      'SELECT message_id, array_agg(user_id) AS users FROM message_seen_by WHERE message_id = ANY($1) GROUP BY message_id',
      [views.flatMap((view) => [view.id, ...view.reactions.map((reaction) => reaction.id)])],
    );
    const seenBy = new Map(seen.map((row) => [row.message_id, row.users]));
    const byRoom = new Map<string, PushedMessage[]>();
    for (const view of views) {
      const ids = [view.id, ...view.reactions.map((reaction) => reaction.id)];
      const pushed = { view, seenBy: Object.fromEntries(ids.map((id) => [id, seenBy.get(id) ?? []])) };
      byRoom.set(view.roomId, [...(byRoom.get(view.roomId) ?? []), pushed]);
    }
    return [...byRoom].map(([roomId, messages]) => ({ type: 'messages', roomId, messages }));
  }

  private async roomUserEvents(roomUserIds: string[], onlineChanged: string[]): Promise<ChatEvent[]> {
    const views = [
      ...(await this.roomUsers.loadViewsByIds(roomUserIds)),
      ...(await Promise.all(onlineChanged.map((userId) => this.roomUsers.loadViewsOfUser(userId)))).flat(),
    ];
    const byRoom = new Map<string, typeof views>();
    for (const view of views) {
      byRoom.set(view.roomId, [...(byRoom.get(view.roomId) ?? []), view]);
    }
    return [...byRoom].map(([roomId, roomUsers]) => ({ type: 'room_users', roomId, roomUsers }));
  }
}
