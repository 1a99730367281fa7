import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsDefined, IsOptional, IsString, MaxLength } from 'class-validator';
import { PageQueryDto } from '../../common/http/pagination';
import { ApiIdListProperty } from '../../common/openapi/properties';
import {
  BooleanField,
  ClientIdField,
  IdField,
  IdListField,
  LowerCaseId,
  NoNulCharacter,
} from '../../common/validation/decorators';

/**
 * The body limit is configurable (MAX_MESSAGE_LENGTH); the service checks it, this only caps abuse.
 * The OpenAPI document states the configured limit (see `applyConfiguredLimits`).
 */
export const HARD_MAX_BODY = 1_000_000;

const BODY = 'The text, at most MAX_MESSAGE_LENGTH (default 10,000) characters';

export class CreateMessageDto {
  // Not blank: the service refuses a blank body (with code `required`), the schema says so.
  @ApiProperty({
    description: `${BODY}; for a reaction, the reaction itself (e.g. "+" or an emoji), at most 64 characters`,
    maxLength: HARD_MAX_BODY,
    pattern: '\\S',
  })
  @IsDefined({ message: 'body is required' })
  @IsString({ message: 'body must be a string' })
  @MaxLength(HARD_MAX_BODY)
  @NoNulCharacter()
  body: string;

  @IdField({ optional: true, nullable: true, description: 'Reply to, or react to, this message of the same room' })
  parent_id?: string | null;

  @BooleanField({ optional: true, description: 'Whether this is a reaction to parent_id (default false)' })
  is_reaction?: boolean;

  @ClientIdField(
    "The sender's own key for this send, unique per user: repeating a request with the same client_id " +
      'answers the message (or reaction) first stored with it, with 200 instead of 201, and stores nothing.',
  )
  client_id?: string | null;
}

export class UpdateMessageDto {
  @ApiProperty({ description: `${BODY}; may be blank only for a message with images`, maxLength: HARD_MAX_BODY })
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
  @ApiPropertyOptional({ format: 'uuid', description: 'Messages just older than this one, newest first' })
  @IsOptional()
  @LowerCaseId()
  @IsString()
  before?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Messages just newer than this one, newest first' })
  @IsOptional()
  @LowerCaseId()
  @IsString()
  after?: string;

  @ApiPropertyOptional({ format: 'uuid', description: "This message's thread: its non-reaction replies" })
  @IsOptional()
  @LowerCaseId()
  @IsString()
  parent_id?: string;
}

export class SeenResultDto {
  @ApiIdListProperty({ description: 'The ids, among those sent, of messages of this room' })
  message_ids: string[];
}
