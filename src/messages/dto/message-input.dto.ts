import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { PageQueryDto } from '../../common/http/pagination';
import {
  BooleanField,
  ClientIdField,
  IdField,
  IdListField,
  LowerCaseId,
  NoNulCharacter,
} from '../../common/validation/decorators';
import { ApiProperty } from '@nestjs/swagger';
import { IsDefined } from 'class-validator';

/** The body limit is configurable (MAX_MESSAGE_LENGTH); the service checks it, this only caps abuse. */
export const HARD_MAX_BODY = 1_000_000;

export class CreateMessageDto {
  @ApiProperty({ description: 'The text; for a reaction, the reaction itself (e.g. "+" or an emoji)' })
  @IsDefined({ message: 'body is required' })
  @IsString({ message: 'body must be a string' })
  @MaxLength(HARD_MAX_BODY)
  @NoNulCharacter()
  body: string;

  @IdField({ optional: true, description: 'Reply to, or react to, this message of the same room' })
  parent_id?: string | null;

  @BooleanField({ optional: true, default: false })
  is_reaction?: boolean;

  @ClientIdField(
    "The sender's own key for this send, unique per user: repeating a request with the same client_id " +
      'answers the message (or reaction) first stored with it, with 200 instead of 201, and stores nothing.',
  )
  client_id?: string | null;
}

export class UpdateMessageDto {
  @ApiProperty()
  @IsDefined({ message: 'body is required' })
  @IsString({ message: 'body must be a string' })
  @MaxLength(HARD_MAX_BODY)
  @NoNulCharacter()
  body: string;
}

export class SeenDto {
  @IdListField(1_000_000, { description: 'Ids of messages of this room to mark seen (at most MAX_SEEN_IDS)' })
  message_ids: string[];
}

export class MessageListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'Messages just older than this one, newest first' })
  @IsOptional()
  @LowerCaseId()
  @IsString()
  before?: string;

  @ApiPropertyOptional({ description: 'Messages just newer than this one, newest first' })
  @IsOptional()
  @LowerCaseId()
  @IsString()
  after?: string;

  @ApiPropertyOptional({ description: "This message's thread: its non-reaction replies" })
  @IsOptional()
  @LowerCaseId()
  @IsString()
  parent_id?: string;
}

export class SeenResultDto {
  @ApiProperty({ type: [String], description: 'The ids, among those sent, of messages of this room' })
  message_ids: string[];
}
