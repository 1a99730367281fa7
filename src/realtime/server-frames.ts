import { mapMessage, MessageDto } from '../messages/dto/message.dto';
import { mapRoomUser, RoomUserDto } from '../room-users/dto/room-user.dto';
import type { ChatEvent } from './chat-events';

/** What a client receives on the websocket. */
export interface ServerFrame {
  messages: MessageDto[];
  users: RoomUserDto[];
  deleted_messages?: { id: string; room_id: string }[];
}

/**
 * Builds the frames of one event for its recipients. Recipients differ only in `is_me`, `is_seen_by_me`
 * and which reactions are theirs, so each distinct variant is serialised once and shared by everyone it fits.
 */
export class EventFrames {
  private readonly cache = new Map<string, Buffer>();

  constructor(private readonly event: ChatEvent) {}

  /** The frame for one recipient, encoded once per variant (sending a string would encode it per socket). */
  frameFor(userId: string): Buffer {
    const key = this.variantKey(userId);
    let frame = this.cache.get(key);
    if (frame === undefined) {
      frame = Buffer.from(JSON.stringify(this.build(userId)));
      this.cache.set(key, frame);
    }
    return frame;
  }

  /** How many distinct frames were serialised (for tests and metrics). */
  get serialisedCount(): number {
    return this.cache.size;
  }

  private variantKey(userId: string): string {
    const event = this.event;
    switch (event.type) {
      case 'messages':
        return event.messages
          .map(
            ({ view, seenBy }) =>
              [view, ...view.reactions]
                .map((message) => `${message.userId === userId ? 1 : 0}${seenBy[message.id]?.includes(userId) ? 1 : 0}`)
                .join('') + view.reactionCounts.map((count) => (count.userIds.includes(userId) ? 1 : 0)).join(''),
          )
          .join('|');
      case 'room_users':
        return event.roomUsers.map((roomUser) => (roomUser.userId === userId ? 1 : 0)).join('');
      case 'message_deleted':
      case 'room_deleted':
        return '';
    }
  }

  private build(userId: string): ServerFrame {
    const event = this.event;
    switch (event.type) {
      case 'messages':
        return {
          messages: event.messages.map(({ view, seenBy }) => {
            const seen = new Set(Object.keys(seenBy).filter((id) => seenBy[id].includes(userId)));
            return mapMessage(view, { userId, seen });
          }),
          users: [],
        };
      case 'room_users':
        return { messages: [], users: event.roomUsers.map((roomUser) => mapRoomUser(roomUser, userId)) };
      case 'message_deleted':
        return { messages: [], users: [], deleted_messages: [{ id: event.messageId, room_id: event.roomId }] };
      case 'room_deleted':
        return { messages: [], users: [] };
    }
  }
}
