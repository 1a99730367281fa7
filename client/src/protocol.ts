import type { components } from './schema';

/**
 * The websocket protocol as the contract's "Realtime v2" describes it: the frames' and actions' types are
 * generated from the AsyncAPI document (`npm run generate`), their objects are the REST schemas.
 */

type Schemas = components['schemas'];

export type Message = Schemas['MessageDto'];
export type RoomUser = Schemas['RoomUserDto'];
export type Room = Schemas['RoomDto'];
export type ErrorCode = Schemas['ErrorCode'];

/** Rooms one resume may name. */
export const MAX_RESUME_ROOMS = 1000;

export const CLOSE_CODES = {
  goingAway: 1001,
  policy: 1008,
  tooBig: 1009,
  serverError: 1011,
  tokenEnded: 4401,
} as const;

/**
 * One stored change of one room; `seq` grows by exactly one per change of that room. `deleted_room`
 * marks the room's last frame for the receiver (deleted, or access lost).
 */
export type ChangeFrame = Schemas['ChangeFrame'];

/** `GET /api/v1/chat/rooms/{roomId}/changes`: the room's latest seq and the changes after `since`. */
export type ChangesPage = Schemas['ChangesPageDto'];

/** Members going online or offline; not stored, so no `seq`. */
export type PresenceFrame = Schemas['PresenceFrame'];

export type TypingFrame = Schemas['TypingFrame'];

/** Messages the same user marked seen on another connection. */
export type SeenFrame = Schemas['SeenFrame'];

/** The answer to an action: `message` for a send, `message_ids` for a seen, `resync` for a resume. */
export type AckFrame = Schemas['Ack'] & Partial<Schemas['SendAck'] & Schemas['SeenAck'] & Schemas['ResumeAck']>;

export type ErrorFrame = Schemas['ErrorFrame'];

export type ServerFrame = ChangeFrame | PresenceFrame | TypingFrame | SeenFrame | AckFrame | ErrorFrame;

export type SendAction = Omit<Schemas['SendAction'], 'action' | 'ref'>;

export type ClientAction =
  | Schemas['SendAction']
  | Schemas['SeenAction']
  | Schemas['TypingAction']
  | Schemas['ResumeAction']
  | Schemas['PingAction'];

export type ParsedFrame =
  | { kind: 'ack'; frame: AckFrame }
  | { kind: 'error'; frame: ErrorFrame }
  | { kind: 'change'; frame: ChangeFrame }
  | { kind: 'presence'; frame: PresenceFrame }
  | { kind: 'typing'; frame: TypingFrame }
  | { kind: 'seen'; frame: SeenFrame }
  | { kind: 'unknown'; frame: unknown };

/** Tells the frames apart by their keys; anything else (a newer server's frame) is `unknown`. */
export function parseFrame(text: string): ParsedFrame {
  let frame: unknown;
  try {
    frame = JSON.parse(text);
  } catch {
    return { kind: 'unknown', frame: text };
  }
  if (typeof frame !== 'object' || frame === null) {
    return { kind: 'unknown', frame };
  }
  const keys = frame as Record<string, unknown>;
  if (typeof keys.ack === 'string') {
    return { kind: 'ack', frame: frame as AckFrame };
  }
  if (typeof keys.error === 'object' && keys.error !== null) {
    return { kind: 'error', frame: frame as ErrorFrame };
  }
  if (typeof keys.room_id !== 'string') {
    return { kind: 'unknown', frame };
  }
  if (typeof keys.seq === 'number') {
    return { kind: 'change', frame: frame as ChangeFrame };
  }
  if (Array.isArray(keys.typing)) {
    return { kind: 'typing', frame: frame as TypingFrame };
  }
  if (typeof keys.seen === 'object' && keys.seen !== null) {
    return { kind: 'seen', frame: frame as SeenFrame };
  }
  if (Array.isArray(keys.users) && (!Array.isArray(keys.messages) || keys.messages.length === 0)) {
    return { kind: 'presence', frame: frame as PresenceFrame };
  }
  return { kind: 'unknown', frame };
}
