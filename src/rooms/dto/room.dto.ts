import { ApiProperty } from '@nestjs/swagger';
import { BooleanField, IdField, IdListField, NotBlank, TextField, Trim } from '../../common/validation/decorators';
import { MessageDto } from '../../messages/dto/message.dto';
import {
  ApiIdListProperty,
  ApiIdProperty,
  ApiIntegerProperty,
  ApiTimestampProperty,
  ApiUrlProperty,
} from '../../common/openapi/properties';

export const MAX_ROOM_USERS_PER_REQUEST = 1000;

export class RoomDto {
  @ApiIdProperty()
  id: string;

  @ApiTimestampProperty()
  created: string;

  @ApiTimestampProperty()
  modified: string;

  @ApiIdProperty({ nullable: true, description: "The creator's user id, or null" })
  creator_id: string | null;

  @ApiProperty()
  title: string;

  @ApiProperty()
  description: string;

  @ApiProperty()
  is_public: boolean;

  @ApiUrlProperty({ nullable: true, description: "URL of the room's picture, or null" })
  image: string | null;

  @ApiIdListProperty({ description: 'User ids of the members' })
  users: string[];

  @ApiIdListProperty({ description: "User ids of the room's admins" })
  admins: string[];

  @ApiIntegerProperty({ description: 'Messages in the room, reactions not counted' })
  message_total_count: number;

  @ApiIntegerProperty({ description: 'Messages the caller has not seen (their own count as seen)' })
  message_new_count: number;

  @ApiIntegerProperty({
    description: 'Messages mentioning the caller that they have not seen, counted even when the room is muted',
  })
  mention_new_count: number;

  @ApiProperty({ type: () => MessageDto, nullable: true, description: 'The newest non-reaction message' })
  last_message: MessageDto | null;

  @ApiProperty({ description: 'Whether the caller muted the room' })
  is_muted: boolean;
}

export class CreateRoomDto {
  // The field's own checks (its type first) are declared last so that they run first.
  @NotBlank()
  @Trim()
  @TextField(255)
  title: string;

  @TextField(10_000, { optional: true })
  description?: string;

  @BooleanField({ optional: true, description: 'Whether anyone may see and join it (default true)' })
  is_public?: boolean;

  @IdListField(MAX_ROOM_USERS_PER_REQUEST, { optional: true, description: 'User ids to add as members' })
  users?: string[];
}

/** PATCH: any subset of the fields; PUT: the same, with `title` required. */
export class AddRoomAdminDto {
  @IdField({ description: 'A member of the room to make one of its admins' })
  user_id: string;
}

export class UpdateRoomDto {
  @NotBlank()
  @Trim()
  @TextField(255, { optional: true })
  title?: string;

  @TextField(10_000, { optional: true })
  description?: string;

  @BooleanField({ optional: true })
  is_public?: boolean;

  @IdListField(MAX_ROOM_USERS_PER_REQUEST, {
    optional: true,
    description: 'The whole new member list: users not in it are removed, except admins',
  })
  users?: string[];
}

/** A room as the site admin sees it (the CLI): no viewer-specific fields. */
export interface RoomSummaryDto {
  id: string;
  title: string;
  is_public: boolean;
  creator_id: string | null;
  creator_username: string | null;
  /** Active members. */
  members: number;
  message_total_count: number;
  created: string;
  last_activity_at: string;
}
