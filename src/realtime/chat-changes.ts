import type { MessageView } from '../messages/dto/message.dto';

/** A stored message as its entity carried it when it changed. */
export type MessageRecord = Omit<MessageView, 'images' | 'reactions' | 'reactionCounts'>;

/**
 * A committed change to what chat clients see, as the entity subscriber reports it: what happened to
 * which row, with no decision about who is told (that is `ChatEventsPublisher`'s).
 */
export type ChatChange =
  | { type: 'message_created' | 'message_updated' | 'message_deleted'; message: MessageRecord }
  | { type: 'image_changed'; messageId: string }
  | { type: 'room_user_changed'; roomUserId: string }
  | { type: 'room_created' | 'room_updated' | 'room_deleted'; roomId: string }
  | { type: 'admins_changed'; roomId: string; userId: string }
  | { type: 'mute_changed'; roomId: string; userId: string }
  | { type: 'message_seen'; messageId: string; userId: string }
  | { type: 'online_changed'; userId: string };
