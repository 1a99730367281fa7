import { Injectable, Logger } from '@nestjs/common';
import { MessageView, newMessageView } from '../messages/dto/message.dto';
import { MessagesService } from '../messages/messages.service';
import { RoomUserView } from '../room-users/dto/room-user.dto';
import { RoomUsersService } from '../room-users/room-users.service';
import type { ChatChange } from './chat-changes';
import { ChatEvent, PushedMessage } from './chat-events';
import { EventBus } from './event-bus';

/**
 * How long a change of someone's online state may wait to be pushed, so that the presence changes of a
 * storm of connections reach each room in one frame per interval rather than one per connection.
 */
export const PRESENCE_INTERVAL_MS = 1000;

/**
 * Turns committed changes into chat events, reading what the push needs once on the instance where the
 * change happened, and publishes them on the bus. What is pushed, and about which room, is decided here
 * and nowhere else.
 */
@Injectable()
export class ChatEventsPublisher {
  private readonly logger = new Logger('ChatEventsPublisher');
  private pending: ChatChange[] = [];
  private running: Promise<void> | null = null;
  /** Users whose online state changed, waiting for the next presence push; then those due now. */
  private readonly presenceWaiting = new Set<string>();
  private presenceDue: string[] = [];
  private presenceTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly messages: MessagesService,
    private readonly roomUsers: RoomUsersService,
    private readonly bus: EventBus,
  ) {}

  /**
   * Called from the commit hook; the work runs after the committing query runner is released. Changes
   * that commit while a batch is being published are published together in the next one, in order, so
   * a burst of messages costs a few reads rather than a few per message.
   */
  publishLater(changes: ChatChange[]): void {
    this.pending.push(...changes);
    this.running ??= this.drainPending();
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
        for (const event of [...(await this.toEvents(batch)), ...(await this.presenceEvents(online))]) {
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

  private async toEvents(changes: ChatChange[]): Promise<ChatEvent[]> {
    // A new message is pushed as stored; anything else that changed a message has it read again.
    const created = new Map<string, MessageView>();
    const changed = new Set<string>();
    const deleted = new Map<string, ChatEvent>();
    const roomUserIds = new Set<string>();
    const roomsDeleted: ChatEvent[] = [];
    for (const change of changes) {
      switch (change.type) {
        case 'message_created':
        case 'message_updated':
        case 'message_deleted': {
          const { message } = change;
          if (message.isReaction) {
            // A reaction is never pushed as such: its parent is, with its new reactions.
            if (message.parentId) {
              changed.add(message.parentId);
            }
          } else if (change.type === 'message_deleted') {
            deleted.set(message.id, { type: 'message_deleted', roomId: message.roomId, messageId: message.id });
          } else if (change.type === 'message_created') {
            created.set(message.id, newMessageView(message));
          } else {
            changed.add(message.id);
          }
          break;
        }
        case 'image_changed':
          changed.add(change.messageId);
          break;
        case 'room_user_changed':
          roomUserIds.add(change.roomUserId);
          break;
        case 'online_changed':
          this.presenceLater(change.userId);
          break;
        case 'room_deleted':
          roomsDeleted.push({ type: 'room_deleted', roomId: change.roomId });
          break;
        case 'room_created':
        case 'room_updated':
        case 'admins_changed':
        case 'mute_changed':
        case 'message_seen':
          break;
      }
    }
    for (const id of [...changed, ...deleted.keys()]) {
      created.delete(id);
    }
    for (const id of deleted.keys()) {
      changed.delete(id);
    }
    // Memberships first, so that a member who just joined receives the message that made them join.
    return [
      ...this.byRoom(await this.roomUsers.loadViewsByIds([...roomUserIds])),
      ...(await this.messageEvents([...created.values()], [...changed])),
      ...deleted.values(),
      ...roomsDeleted,
    ];
  }

  /** Messages with neither body nor images are not pushed (an image upload's message waits for its image). */
  private async messageEvents(created: MessageView[], changedIds: string[]): Promise<ChatEvent[]> {
    const read = (await this.messages.loadViews(changedIds)).filter((view) => !view.isReaction);
    const views = [...created, ...read].filter((view) => view.body !== '' || view.images.length > 0);
    if (views.length === 0) {
      return [];
    }
    // A new message is seen by its author alone; what else was read is asked of the seen marks.
    const seenBy =
      read.length > 0
        ? await this.messages.seenBy(
            read.flatMap((view) => [view.id, ...view.reactions.map((reaction) => reaction.id)]),
          )
        : new Map<string, string[]>();
    for (const view of created) {
      if (view.userId) {
        seenBy.set(view.id, [view.userId]);
      }
    }
    const byRoom = new Map<string, PushedMessage[]>();
    for (const view of views) {
      const ids = [view.id, ...view.reactions.map((reaction) => reaction.id)];
      const pushed = { view, seenBy: Object.fromEntries(ids.map((id) => [id, seenBy.get(id) ?? []])) };
      byRoom.set(view.roomId, [...(byRoom.get(view.roomId) ?? []), pushed]);
    }
    return [...byRoom].map(([roomId, messages]) => ({ type: 'messages', roomId, messages }));
  }

  /** Each user's room users, in one frame per room for all of them. */
  private async presenceEvents(userIds: string[]): Promise<ChatEvent[]> {
    return this.byRoom(await this.roomUsers.loadViewsOfUsers([...new Set(userIds)]));
  }

  private byRoom(views: RoomUserView[]): ChatEvent[] {
    const byRoom = new Map<string, RoomUserView[]>();
    for (const view of views) {
      const list = byRoom.get(view.roomId);
      if (list) {
        list.push(view);
      } else {
        byRoom.set(view.roomId, [view]);
      }
    }
    return [...byRoom].map(([roomId, roomUsers]) => ({ type: 'room_users', roomId, roomUsers }));
  }
}
