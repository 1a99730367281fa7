import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsDefined, IsObject } from 'class-validator';
import { ErrorCode } from '../common/errors/app-error';
import { ApiIdProperty } from '../common/openapi/properties';
import { IdField } from '../common/validation/decorators';
import { CreateMessageDto, SeenDto } from '../messages/dto/message-input.dto';
import { MessageDto } from '../messages/dto/message.dto';
import { RoomUserDto } from '../room-users/dto/room-user.dto';
import { RoomDto } from '../rooms/dto/room.dto';

/**
 * The websocket protocol (contract, "Realtime v2"): every frame the server sends and every action a
 * client may send. The AsyncAPI document is checked against these names.
 */

/** Close codes the server uses. */
export const CLOSE_CODES = {
  goingAway: 1001,
  policy: 1008,
  tooBig: 1009,
  serverError: 1011,
  tokenEnded: 4401,
} as const;

/** Largest client frame; a larger one closes the socket with 1009. */
export const MAX_CLIENT_FRAME_BYTES = 64 * 1024;

export class DeletedMessageDto {
  @ApiIdProperty()
  id: string;

  @ApiIdProperty()
  room_id: string;
}

/**
 * One stored change of one room: `seq` is the room's change number, one more than the change before.
 * Replayed frames show the object as it is now.
 */
export class ChangeFrameDto {
  @ApiIdProperty()
  room_id: string;

  @ApiProperty({ type: 'integer', minimum: 1, description: "The room's change number" })
  seq: number;

  @ApiProperty({
    type: () => [MessageDto],
    description: 'Messages created or changed (with their reactions and images)',
  })
  messages: MessageDto[];

  @ApiProperty({ type: () => [RoomUserDto], description: 'Members added, removed or changed' })
  users: RoomUserDto[];

  @ApiPropertyOptional({ type: () => [DeletedMessageDto], description: 'Messages deleted' })
  deleted_messages?: DeletedMessageDto[];

  @ApiPropertyOptional({ type: () => RoomDto, description: 'The room, when it changed (title, admins, ...)' })
  room?: RoomDto;

  @ApiPropertyOptional({
    type: Boolean,
    enum: [true],
    description: 'The room was deleted, or the receiver lost access to it: their last frame of it',
  })
  deleted_room?: true;
}

export class ChangesPageDto {
  @ApiProperty({ type: 'integer', minimum: 0, description: "The room's latest seq" })
  seq: number;

  @ApiProperty({ type: () => [ChangeFrameDto], description: 'Change frames after `since`, oldest first' })
  changes: ChangeFrameDto[];

  @ApiProperty({ type: String, format: 'uri', nullable: true, description: 'The next page, or null' })
  next: string | null;
}

/** Presence: members going online or offline; no `seq`, never replayed. */
export interface PresenceFrame {
  room_id: string;
  messages: [];
  users: RoomUserDto[];
}

export interface TypingFrame {
  room_id: string;
  typing: { user_id: string; name: string }[];
}

/** To a user's other connections when they marked messages seen. */
export interface SeenFrame {
  room_id: string;
  seen: { message_ids: string[]; message_new_count: number; mention_new_count: number };
}

export interface AckFrame {
  ack: string;
  message?: MessageDto;
  message_ids?: string[];
  resync?: string[];
}

export interface ErrorFrame {
  error: { ref: string | null; code: ErrorCode; message: string; field?: string };
}

export type ServerFrame = ChangeFrameDto | PresenceFrame | TypingFrame | SeenFrame | AckFrame | ErrorFrame;

export const ACTIONS = ['send', 'seen', 'typing', 'resume', 'ping'] as const;
export type ActionName = (typeof ACTIONS)[number];

/** A client's id for an action, echoed in its ack or error. */
export const REF_PATTERN = /^[\x21-\x7e]{1,64}$/;

/**
 * What each action carries besides `action` and `ref` (checked first by the gateway); validated with
 * the same rules as the REST request it mirrors.
 */
export class SendActionDto extends CreateMessageDto {
  @IdField()
  room_id: string;
}

export class SeenActionDto extends SeenDto {
  @IdField()
  room_id: string;
}

export class TypingActionDto {
  @IdField()
  room_id: string;
}

/** At most this many rooms in one resume. */
export const MAX_RESUME_ROOMS = 1000;

export class ResumeActionDto {
  /** Room id → the last seq the client applied; its entries are checked by the gateway. */
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'integer', minimum: 0 },
    maxProperties: MAX_RESUME_ROOMS,
    description: 'Room id → the last seq the client applied in that room (0 for none)',
  })
  @IsDefined({ message: 'rooms is required' })
  @IsObject({ message: 'rooms must be an object of room id to seq' })
  rooms: Record<string, number>;
}

export class PingActionDto {}

export const ACTION_PAYLOADS: Record<ActionName, new () => object> = {
  send: SendActionDto,
  seen: SeenActionDto,
  typing: TypingActionDto,
  resume: ResumeActionDto,
  ping: PingActionDto,
};
