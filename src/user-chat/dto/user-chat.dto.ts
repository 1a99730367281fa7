import { ApiProperty } from '@nestjs/swagger';
import { ApiIdProperty, ApiIntegerProperty, ApiTimestampProperty } from '../../common/openapi/properties';
import { TextField, Trim } from '../../common/validation/decorators';

export const MAX_STATUS_LENGTH = 100;

/** The caller's chat state across their rooms. */
export class UserChatDto {
  @ApiIdProperty()
  user_id: string;

  @ApiProperty({ description: 'Whether a websocket of the user is open' })
  is_online: boolean;

  @ApiTimestampProperty({ nullable: true, description: 'When the user last went offline; null if never online' })
  last_seen: string | null;

  @ApiProperty({ maxLength: MAX_STATUS_LENGTH, description: 'Their status line, empty when none' })
  status: string;

  @ApiIntegerProperty({ description: 'Rooms of the caller with messages they have not seen (muted rooms left out)' })
  rooms_with_new_messages: number;

  @ApiIntegerProperty({ description: 'Messages the caller has not seen, over their rooms (muted rooms left out)' })
  message_new_count: number;

  @ApiIntegerProperty({ description: 'Messages mentioning the caller that they have not seen, over all their rooms' })
  mention_new_count: number;
}

export class UpdateUserChatDto {
  @Trim()
  @TextField(MAX_STATUS_LENGTH, {
    optional: true,
    description: 'A status line shown next to the name in every room ("in a meeting"); "" clears it',
  })
  status?: string;
}

/** A user's own state, as the user-chat repository reads it. */
export interface UserChatState {
  isOnline: boolean;
  lastSeen: Date | null;
  status: string;
}

/** Unseen totals over a user's rooms, as the messages module counts them. */
export interface UnseenTotals {
  roomsWithNewMessages: number;
  messageNewCount: number;
  mentionNewCount: number;
}

export const mapUserChat = (userId: string, state: UserChatState | null, totals: UnseenTotals): UserChatDto => ({
  user_id: userId,
  is_online: state?.isOnline ?? false,
  last_seen: state?.lastSeen?.toISOString() ?? null,
  status: state?.status ?? '',
  rooms_with_new_messages: totals.roomsWithNewMessages,
  message_new_count: totals.messageNewCount,
  mention_new_count: totals.mentionNewCount,
});
