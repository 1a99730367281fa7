import type { MessageView } from '../messages/dto/message.dto';

/** A stored message as its entity carried it when it changed. */
export type MessageRecord = Omit<MessageView, 'images' | 'reactions' | 'reactionCounts'>;

/**
 * A committed change to what chat clients see, as the entity subscriber reports it: what happened to
 * which row, with no decision about who is told (that is `ChatEventsPublisher`'s). `origin` is the
 * websocket connection whose action made the change, if any.
 */
export type ChatChange =
  | { type: 'message_created' | 'message_updated' | 'message_deleted'; message: MessageRecord }
  | { type: 'image_changed'; messageId: string }
  | { type: 'room_user_changed'; roomUserId: string; roomId: string }
  | { type: 'room_created' | 'room_updated' | 'room_deleted'; roomId: string }
  | { type: 'admins_changed'; roomId: string; userId: string }
  | { type: 'mute_changed'; roomId: string; userId: string }
  | { type: 'message_seen'; messageId: string; userId: string; origin: string | null }
  | { type: 'online_changed'; userId: string };

/** What a change-log entry says happened; a replay shows the object as it is now. */
export const CHANGE_KINDS = [
  'message_created',
  'message_updated',
  'message_deleted',
  /** A reaction added or removed: the entity is the message reacted to. */
  'reaction_changed',
  'room_user',
  'room_updated',
  'room_deleted',
] as const;
export type ChangeKind = (typeof CHANGE_KINDS)[number];

/** An entry to append; `roomId` null: the room of message `entityId`, found by the database. */
export interface NewChangeEntry {
  roomId: string | null;
  kind: ChangeKind;
  entityId: string;
}

/** A change-log entry: the `seq`-th change of its room. */
export interface ChangeEntry {
  roomId: string;
  seq: number;
  kind: ChangeKind;
  entityId: string;
}

/**
 * The change-log entries one transaction's changes make, in order: one per object changed, however often
 * it changed; nothing for what members are not told of (seen marks, mutes, presence, a message that
 * waits for its image), and nothing else about a room deleted in the same transaction.
 */
export function logEntriesOf(changes: ChatChange[]): NewChangeEntry[] {
  const entries = new Map<string, NewChangeEntry>();
  const deletedRooms = new Set<string>();
  const deletedMessages = new Set<string>();
  const add = (entry: NewChangeEntry, key = `${entry.kind}:${entry.entityId}`) => {
    if (!entries.has(key)) {
      entries.set(key, entry);
    }
  };
  for (const change of changes) {
    switch (change.type) {
      case 'message_created':
      case 'message_updated':
      case 'message_deleted': {
        const { message } = change;
        if (message.isReaction) {
          if (message.parentId) {
            add({ roomId: message.roomId, kind: 'reaction_changed', entityId: message.parentId });
          }
          break;
        }
        const key = `message:${message.id}`;
        if (change.type === 'message_deleted') {
          deletedMessages.add(message.id);
          entries.delete(key);
          add({ roomId: message.roomId, kind: 'message_deleted', entityId: message.id }, key);
        } else if (change.type === 'message_created') {
          // A message created empty waits for its image: the image's entry announces it.
          if (message.body !== '') {
            add({ roomId: message.roomId, kind: 'message_created', entityId: message.id }, key);
          }
        } else {
          add({ roomId: message.roomId, kind: 'message_updated', entityId: message.id }, key);
        }
        break;
      }
      case 'image_changed':
        add({ roomId: null, kind: 'message_updated', entityId: change.messageId }, `message:${change.messageId}`);
        break;
      case 'room_user_changed':
        add({ roomId: change.roomId, kind: 'room_user', entityId: change.roomUserId });
        break;
      case 'room_updated':
      case 'admins_changed':
        add({ roomId: change.roomId, kind: 'room_updated', entityId: change.roomId });
        break;
      case 'room_deleted':
        deletedRooms.add(change.roomId);
        add({ roomId: change.roomId, kind: 'room_deleted', entityId: change.roomId });
        break;
      case 'room_created':
      case 'mute_changed':
      case 'message_seen':
      case 'online_changed':
        break;
    }
  }
  return [...entries.values()].filter(
    (entry) =>
      !(entry.kind === 'reaction_changed' && deletedMessages.has(entry.entityId)) &&
      !(entry.roomId !== null && deletedRooms.has(entry.roomId) && entry.kind !== 'room_deleted'),
  );
}

/** What is known of a room's log: its latest seq, and the oldest seq still kept (null: none kept). */
export interface LogBounds {
  latest: number;
  oldestKept: number | null;
}

/**
 * Whether the changes after `since` are all still kept: the client that applied up to `since` can
 * catch up from the log, else it has to reload (`resync`, or 410 over REST).
 */
export function canReplay(bounds: LogBounds, since: number): boolean {
  if (since > bounds.latest) {
    return false; // a seq this room never reached: the client's state is not of this log
  }
  if (since === bounds.latest) {
    return true;
  }
  return bounds.oldestKept !== null && bounds.oldestKept <= since + 1;
}
