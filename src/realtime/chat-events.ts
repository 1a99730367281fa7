import type { MessageView } from '../messages/dto/message.dto';
import type { RoomUserView } from '../room-users/dto/room-user.dto';

/** A message as pushed: the view plus who has seen it and its reactions, so each recipient's `is_seen_by_me` is exact. */
export interface PushedMessage {
  view: MessageView;
  /** Message or reaction id → ids of the users who have seen it. */
  seenBy: Record<string, string[]>;
}

/**
 * What happened, after its transaction committed, as carried between instances. Every event concerns
 * one room and is delivered only to that room's members connected to an instance.
 */
export type ChatEvent =
  | { type: 'messages'; roomId: string; messages: PushedMessage[] }
  | { type: 'message_deleted'; roomId: string; messageId: string }
  | { type: 'room_users'; roomId: string; roomUsers: RoomUserView[] }
  | { type: 'room_deleted'; roomId: string };

/** Dates survive the trip through JSON (Redis) as ISO strings; this brings them back. */
export function parseChatEvent(json: string): ChatEvent {
  return JSON.parse(json, (key, value: unknown) =>
    (key === 'created' || key === 'modified') && typeof value === 'string' ? new Date(value) : value,
  ) as ChatEvent;
}
