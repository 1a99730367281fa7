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
  private presence?: EncodedPresence;

  constructor(
    readonly event: Exclude<ChatEvent, { type: 'seen' }>,
    private readonly rooms?: RoomViews,
    /** The typing list of the event's room, for typing events. */
    private readonly typing?: TypingFrame['typing'],
  ) {}

  /** The frame for one recipient, encoded once per variant (sending a string would encode it per socket). */
  frameFor(userId: string): Buffer {
    if (this.event.type === 'presence') {
      return this.presenceFrameFor(userId);
    }
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

  /**
   * A presence frame lists the room users who went on- or offline, and differs between recipients only
   * in the recipient's own entry (`is_me`). With a thousand members coming online, serialising the list
   * for each of them cost a second of CPU; instead the frame is encoded once with no entry as `is_me`,
   * and a listed recipient gets a copy with their own entry swapped for its `is_me` version.
   */
  private presenceFrameFor(userId: string): Buffer {
    const event = this.event as Extract<ChatEvent, { type: 'presence' }>;
    this.presence ??= encodePresence(event);
    const at = this.presence.entries.get(userId);
    if (at === undefined) {
      return this.presence.frame;
    }
    const { frame } = this.presence;
    const own = Buffer.from(JSON.stringify(mapRoomUser(event.roomUsers[at.index], userId)));
    return Buffer.concat([frame.subarray(0, at.start), own, frame.subarray(at.end)]);
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
        return presenceFrame(event, userId);
      case 'typing':
        return { room_id: event.roomId, typing: this.typing ?? [] } satisfies TypingFrame;
    }
  }
}

const presenceFrame = (event: Extract<ChatEvent, { type: 'presence' }>, userId: string): PresenceFrame => ({
  room_id: event.roomId,
  messages: [],
  users: event.roomUsers.map((roomUser) => mapRoomUser(roomUser, userId)),
});

/** A presence frame as no listed user sees it, and where (in bytes) each listed user's entry is. */
interface EncodedPresence {
  frame: Buffer;
  entries: Map<string, { index: number; start: number; end: number }>;
}

function encodePresence(event: Extract<ChatEvent, { type: 'presence' }>): EncodedPresence {
  // Serialised as a whole and in parts alike: JSON.stringify keeps the keys' order.
  const nobody = presenceFrame(event, '');
  const users = nobody.users.map((user) => JSON.stringify(user));
  const head = JSON.stringify({ ...nobody, users: [] }).slice(0, -2); // up to and including "users":[
  const entries = new Map<string, { index: number; start: number; end: number }>();
  let offset = Buffer.byteLength(head);
  users.forEach((user, index) => {
    const length = Buffer.byteLength(user);
    const userId = event.roomUsers[index].userId;
    if (userId !== null) {
      entries.set(userId, { index, start: offset, end: offset + length });
    }
    offset += length + 1; // and its comma
  });
  return { frame: Buffer.from(`${head}${users.join(',')}]}`), entries };
}

export const seenFrame = (event: Extract<ChatEvent, { type: 'seen' }>): SeenFrame => ({
  room_id: event.roomId,
  seen: {
    message_ids: event.messageIds,
    message_new_count: event.newCount,
    mention_new_count: event.mentionNewCount,
  },
});
