import { mapMessage } from '../messages/dto/message.dto';
import { mapRoomUser } from '../room-users/dto/room-user.dto';
import type { RoomDto } from '../rooms/dto/room.dto';
import type { ChangeEvent, ChatEvent } from './chat-events';
import type { ChangeFrameDto, PresenceFrame, SeenFrame, ServerFrame, TypingFrame } from './protocol';

/** Each recipient's view of a changed room (change events whose `roomChanged` is set). */
export type RoomViews = ReadonlyMap<string, RoomDto>;

/** The change frame of one event as one recipient sees it. */
export function changeFrameFor(event: ChangeEvent, userId: string, rooms?: RoomViews): ChangeFrameDto {
  const frame: ChangeFrameDto = {
    room_id: event.roomId,
    seq: event.seq,
    messages: event.messages.map(({ view, seenBy }) => {
      const seen = new Set(Object.keys(seenBy).filter((id) => seenBy[id].includes(userId)));
      return mapMessage(view, { userId, seen });
    }),
    users: event.roomUsers.map((roomUser) => mapRoomUser(roomUser, userId)),
  };
  if (event.deletedMessageIds.length > 0) {
    frame.deleted_messages = event.deletedMessageIds.map((id) => ({ id, room_id: event.roomId }));
  }
  const room = event.roomChanged ? rooms?.get(userId) : undefined;
  if (room) {
    frame.room = room;
  }
  if (event.deletedRoom || event.lostAccess.includes(userId)) {
    frame.deleted_room = true;
  }
  return frame;
}

/**
 * Builds the frames of one event for its recipients. Recipients differ only in `is_me`, `is_seen_by_me`,
 * which reactions are theirs and their view of a changed room, so each distinct variant is serialised
 * once and shared by everyone it fits.
 */
export class EventFrames {
  private readonly cache = new Map<string, Buffer>();

  constructor(
    readonly event: Exclude<ChatEvent, { type: 'seen' }>,
    private readonly rooms?: RoomViews,
    /** The typing list of the event's room, for typing events. */
    private readonly typing?: TypingFrame['typing'],
  ) {}

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
      case 'change':
        if (event.roomChanged || event.lostAccess.length > 0) {
          return userId; // rare: every recipient's own
        }
        return (
          event.messages
            .map(
              ({ view, seenBy }) =>
                [view, ...view.reactions]
                  .map(
                    (message) => `${message.userId === userId ? 1 : 0}${seenBy[message.id]?.includes(userId) ? 1 : 0}`,
                  )
                  .join('') + view.reactionCounts.map((count) => (count.userIds.includes(userId) ? 1 : 0)).join(''),
            )
            .join('|') +
          '/' +
          event.roomUsers.map((roomUser) => (roomUser.userId === userId ? 1 : 0)).join('')
        );
      case 'presence':
        return event.roomUsers.map((roomUser) => (roomUser.userId === userId ? 1 : 0)).join('');
      case 'typing':
        return '';
    }
  }

  private build(userId: string): ServerFrame {
    const event = this.event;
    switch (event.type) {
      case 'change':
        return changeFrameFor(event, userId, this.rooms);
      case 'presence':
        return {
          room_id: event.roomId,
          messages: [],
          users: event.roomUsers.map((roomUser) => mapRoomUser(roomUser, userId)),
        } satisfies PresenceFrame;
      case 'typing':
        return { room_id: event.roomId, typing: this.typing ?? [] } satisfies TypingFrame;
    }
  }
}

export const seenFrame = (event: Extract<ChatEvent, { type: 'seen' }>): SeenFrame => ({
  room_id: event.roomId,
  seen: {
    message_ids: event.messageIds,
    message_new_count: event.newCount,
    mention_new_count: event.mentionNewCount,
  },
});
