import { ApiProperty } from '@nestjs/swagger';
import { IsBoolean, IsDefined } from 'class-validator';
import { IdField } from '../../common/validation/decorators';

export class RoomUserDto {
  @ApiProperty({ description: 'The room-user id that messages point at (room_user_id)' })
  id: string;

  @ApiProperty({ type: String, nullable: true, description: "null for the room's system sender" })
  user_id: string | null;

  @ApiProperty()
  room_id: string;

  @ApiProperty({ description: 'Display name: first name, else username' })
  name: string;

  @ApiProperty({ type: String, nullable: true })
  image: string | null;

  @ApiProperty({ type: Boolean, nullable: true, description: 'Whether this is the caller; null for the system sender' })
  is_me: boolean | null;

  @ApiProperty()
  is_online: boolean;

  @ApiProperty({ description: 'false once the user left or was removed' })
  is_active: boolean;
}

export interface RoomUserView {
  id: string;
  userId: string | null;
  roomId: string;
  name: string;
  isOnline: boolean;
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
  is_active: view.isActive,
});

export class RoomUserNameDto {
  @ApiProperty({ description: "The user's id" })
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
