import { Injectable, Logger } from '@nestjs/common';
import { MessageView, newMessageView } from '../messages/dto/message.dto';
import { MessagesService } from '../messages/messages.service';
import { RoomUserView } from '../room-users/dto/room-user.dto';
import { RoomUsersService } from '../room-users/room-users.service';
import { UserChatService } from '../user-chat/user-chat.service';
import { ChangeEventsBuilder } from './change-events.builder';
import type { ChangeEntry, ChatChange } from './chat-changes';
import { ChatEvent } from './chat-events';
import { EventBus } from './event-bus';

/**
 * How long a change of someone's online state may wait to be pushed, so that the presence changes of a
 * storm of connections reach each room in one frame per interval rather than one per connection.
 */
export const PRESENCE_INTERVAL_MS = 1000;

/**
 * Turns committed changes and their change-log entries into chat events, reading what the push needs
 * once on the instance where the change happened, and publishes them on the bus: one change event per
 * entry, in `seq` order per room. What is pushed, and about which room, is decided here and nowhere else.
 */
@Injectable()
export class ChatEventsPublisher {
  private readonly logger = new Logger('ChatEventsPublisher');
  private pending: { changes: ChatChange[]; entries: ChangeEntry[] }[] = [];
  private running: Promise<void> | null = null;
  /** Users whose online state changed, waiting for the next presence push; then those due now. */
  private readonly presenceWaiting = new Set<string>();
  private presenceDue: string[] = [];
  private presenceTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly messages: MessagesService,
    private readonly roomUsers: RoomUsersService,
    private readonly builder: ChangeEventsBuilder,
    private readonly bus: EventBus,
    userChats: UserChatService,
  ) {
    // Online flags are set many users to a statement, not through the entity: they are told here.
    userChats.onOnlineChanged((userIds) => userIds.forEach((userId) => this.presenceLater(userId)));
  }

  /**
   * Called from the commit hook; the work runs after the committing query runner is released. What
   * commits while a batch is being published is published together in the next one, in order, so a
   * burst of messages costs a few reads rather than a few per message.
   */
  publishLater(changes: ChatChange[], entries: ChangeEntry[]): void {
    this.pending.push({ changes, entries });
    this.running ??= this.drainPending();
  }

  /** A change whose log entries could not be written: its members learn of it from the next seq. */
  failed(error: unknown): void {
    this.logger.error(`logging a change failed: ${String(error)}`);
  }

  /** Resolves once everything handed over so far has been published, presence included (orderly shutdown). */
  async drain(): Promise<void> {
    this.presenceNow();
    while (this.running) {
      await this.running;
    }
  }

  private async drainPending(): Promise<void> {
    // Let the committing request finish before reading.
    await new Promise((resolve) => setImmediate(resolve));
    while (this.pending.length > 0 || this.presenceDue.length > 0) {
      const batch = this.pending;
      const online = this.presenceDue;
      this.pending = [];
      this.presenceDue = [];
      try {
        const changes = batch.flatMap((item) => item.changes);
        const entries = batch.flatMap((item) => item.entries);
        const events = [
          ...(await this.changeEvents(changes, entries)),
          ...(await this.seenEvents(changes)),
          ...(await this.presenceEvents(online)),
        ];
        for (const event of events) {
          await this.bus.publish(event);
        }
      } catch (error) {
        this.logger.error(`publishing failed: ${String(error)}`);
      }
    }
    this.running = null;
  }

  private presenceLater(userId: string): void {
    this.presenceWaiting.add(userId);
    if (!this.presenceTimer) {
      this.presenceTimer = setTimeout(() => this.presenceNow(), PRESENCE_INTERVAL_MS);
      this.presenceTimer.unref();
    }
  }

  private presenceNow(): void {
    clearTimeout(this.presenceTimer);
    this.presenceTimer = undefined;
    if (this.presenceWaiting.size > 0) {
      this.presenceDue.push(...this.presenceWaiting);
      this.presenceWaiting.clear();
      this.running ??= this.drainPending();
    }
  }

  /** One event per entry; a new message is pushed as stored, anything else is read as it is now. */
  private async changeEvents(changes: ChatChange[], entries: ChangeEntry[]): Promise<ChatEvent[]> {
    const created = new Map<string, MessageView>();
    for (const change of changes) {
      if (change.type === 'message_created' && !change.message.isReaction) {
        created.set(change.message.id, newMessageView(change.message));
      } else if (change.type === 'online_changed') {
        this.presenceLater(change.userId);
      }
    }
    return entries.length === 0 ? [] : this.builder.build(entries, created);
  }

  /** The user's other connections learn what they marked seen, and what is left unseen in that room. */
  private async seenEvents(changes: ChatChange[]): Promise<ChatEvent[]> {
    const marked = new Map<string, { userId: string; origin: string | null; messageIds: string[] }>();
    for (const change of changes) {
      if (change.type === 'message_seen') {
        const key = `${change.userId}/${change.origin ?? ''}`;
        const group = marked.get(key) ?? { userId: change.userId, origin: change.origin, messageIds: [] };
        group.messageIds.push(change.messageId);
        marked.set(key, group);
      }
    }
    const events: ChatEvent[] = [];
    for (const { userId, origin, messageIds } of marked.values()) {
      for (const room of await this.messages.seenSummary(userId, messageIds)) {
        events.push({ type: 'seen', userId, origin, ...room });
      }
    }
    return events;
  }

  /** Each user's room users, in one frame per room for all of them. */
  private async presenceEvents(userIds: string[]): Promise<ChatEvent[]> {
    const byRoom = new Map<string, RoomUserView[]>();
    for (const view of await this.roomUsers.loadViewsOfUsers([...new Set(userIds)])) {
      const list = byRoom.get(view.roomId);
      if (list) {
        list.push(view);
      } else {
        byRoom.set(view.roomId, [view]);
      }
    }
    return [...byRoom].map(([roomId, roomUsers]) => ({ type: 'presence', roomId, roomUsers }));
  }
}
