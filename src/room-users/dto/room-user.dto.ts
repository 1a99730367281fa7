import { ApiProperty } from '@nestjs/swagger';
import { IsBoolean, IsDefined } from 'class-validator';
import { ApiIdProperty, ApiTimestampProperty, ApiUrlProperty } from '../../common/openapi/properties';
import { IdField } from '../../common/validation/decorators';
import { MAX_STATUS_LENGTH } from '../../user-chat/dto/user-chat.dto';

export class RoomUserDto {
  @ApiIdProperty({ description: 'The room-user id that messages point at (room_user_id)' })
  id: string;

  @ApiIdProperty({ nullable: true, description: "The user's id; null for the room's system sender" })
  user_id: string | null;

  @ApiIdProperty()
  room_id: string;

  @ApiProperty({ description: 'Display name: first name, else username' })
  name: string;

  @ApiUrlProperty({ nullable: true, description: 'Always null: users have no picture yet' })
  image: string | null;

  @ApiProperty({ type: Boolean, nullable: true, description: 'Whether this is the caller; null for the system sender' })
  is_me: boolean | null;

  @ApiProperty()
  is_online: boolean;

  @ApiTimestampProperty({ nullable: true, description: 'When the user last went offline; null if never online' })
  last_seen: string | null;

  @ApiProperty({
    maxLength: MAX_STATUS_LENGTH,
    description: "The user's status line (see PATCH /api/v1/chat/me/), empty when none",
  })
  status: string;

  @ApiProperty({ description: 'false once the user left or was removed' })
  is_active: boolean;
}

export interface RoomUserView {
  id: string;
  userId: string | null;
  roomId: string;
  name: string;
  isOnline: boolean;
  /** ISO-8601, as views travel between instances as JSON. */
  lastSeen: string | null;
  status: string;
  isActive: boolean;
}

export const mapRoomUser = (view: RoomUserView, viewerId: string): RoomUserDto => ({
  id: view.id,
  user_id: view.userId,
  room_id: view.roomId,
  name: view.name,
  image: null,
  is_me: view.userId === null ? null : view.userId === viewerId,
  is_online: view.isOnline,
  last_seen: view.lastSeen,
  status: view.status,
  is_active: view.isActive,
});

export class RoomUserNameDto {
  @ApiIdProperty({ description: "The user's id" })
  id: string;

  @ApiProperty()
  first_name: string;
}

export class AddRoomUserDto {
  @IdField({ description: 'The user to add' })
  user_id: string;
}

export class UpdateRoomUserDto {
  @ApiProperty()
  @IsDefined({ message: 'is_active is required' })
  @IsBoolean({ message: 'is_active must be true or false' })
  is_active: boolean;
}
