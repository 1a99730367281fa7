import type { MessageView } from '../messages/dto/message.dto';
import type { RoomUserView } from '../room-users/dto/room-user.dto';

/** A message as pushed: the view plus who has seen it and its reactions, so each recipient's `is_seen_by_me` is exact. */
export interface PushedMessage {
  view: MessageView;
  /** Message or reaction id → ids of the users who have seen it. */
  seenBy: Record<string, string[]>;
}

/** The `seq`-th change of a room, with what its frame shows (read once, where it was written or replayed). */
export interface ChangeEvent {
  type: 'change';
  roomId: string;
  seq: number;
  messages: PushedMessage[];
  roomUsers: RoomUserView[];
  deletedMessageIds: string[];
  /** The room itself changed: each recipient's view of it is read where it is delivered. */
  roomChanged: boolean;
  deletedRoom: boolean;
  /** Users who can no longer see the room after this change: it is their last frame of it. */
  lostAccess: string[];
}

/**
 * What happened, after its transaction committed, as carried between instances. Change events are
 * delivered to their room's connected members in `seq` order; the others are ephemeral.
 */
export type ChatEvent =
  | ChangeEvent
  | { type: 'presence'; roomId: string; roomUsers: RoomUserView[] }
  | { type: 'typing'; roomId: string; userId: string; name: string }
  | {
      type: 'seen';
      roomId: string;
      userId: string;
      messageIds: string[];
      newCount: number;
      mentionNewCount: number;
      /** The connection that marked them, which is not told again. */
      origin: string | null;
    };

/** Dates survive the trip through JSON (Redis) as ISO strings; this brings them back. */
export function parseChatEvent(json: string): ChatEvent {
  return JSON.parse(json, (key, value: unknown) =>
    (key === 'created' || key === 'modified') && typeof value === 'string' ? new Date(value) : value,
  ) as ChatEvent;
}
