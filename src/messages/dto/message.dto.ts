import { ApiProperty } from '@nestjs/swagger';
import { ApiIdProperty, ApiTimestampProperty } from '../../common/openapi/properties';
import { ImageDto, ImageView, mapImage } from '../../images/dto/image.dto';

export class MessageDto {
  @ApiIdProperty()
  id: string;

  @ApiTimestampProperty()
  created: string;

  @ApiTimestampProperty()
  modified: string;

  @ApiIdProperty()
  room_id: string;

  @ApiIdProperty({ description: "The author's room-user id" })
  room_user_id: string;

  @ApiIdProperty({ nullable: true, description: "The author's user id; null for system messages" })
  user_id: string | null;

  @ApiProperty()
  body: string;

  @ApiIdProperty({ nullable: true, description: 'The message replied or reacted to' })
  parent_id: string | null;

  @ApiProperty()
  is_reaction: boolean;

  @ApiProperty({ type: Boolean, nullable: true, description: 'Whether the caller wrote it; null for system messages' })
  is_me: boolean | null;

  @ApiProperty({ description: 'Whether the caller has seen it (their own messages count as seen)' })
  is_seen_by_me: boolean;

  @ApiProperty({ type: [ImageDto] })
  images: ImageDto[];

  @ApiProperty({ type: () => [MessageDto], description: 'Reactions to this message, oldest first' })
  reactions: MessageDto[];
}

/** A message as stored, independent of who looks at it; `mapMessage` resolves it for one viewer. */
export interface MessageView {
  id: string;
  created: Date;
  modified: Date;
  roomId: string;
  roomUserId: string;
  userId: string | null;
  body: string;
  parentId: string | null;
  isReaction: boolean;
  images: ImageView[];
  reactions: MessageView[];
}

/** A message just stored, as a view: no reactions or images yet. */
export const newMessageView = (
  message: Pick<
    MessageView,
    'id' | 'created' | 'modified' | 'roomId' | 'roomUserId' | 'userId' | 'body' | 'parentId' | 'isReaction'
  >,
): MessageView => ({
  id: message.id,
  created: message.created,
  modified: message.modified,
  roomId: message.roomId,
  roomUserId: message.roomUserId,
  userId: message.userId,
  body: message.body,
  parentId: message.parentId,
  isReaction: message.isReaction,
  images: [],
  reactions: [],
});

/** The viewer's user id and the ids (among those mapped) of the messages they have seen. */
export interface Viewer {
  userId: string;
  seen: ReadonlySet<string>;
}

export function mapMessage(view: MessageView, viewer: Viewer): MessageDto {
  const isMe = view.userId === null ? null : view.userId === viewer.userId;
  return {
    id: view.id,
    created: view.created.toISOString(),
    modified: view.modified.toISOString(),
    room_id: view.roomId,
    room_user_id: view.roomUserId,
    user_id: view.userId,
    body: view.body,
    parent_id: view.parentId,
    is_reaction: view.isReaction,
    is_me: isMe,
    is_seen_by_me: isMe === true || viewer.seen.has(view.id),
    images: view.images.map(mapImage),
    reactions: view.reactions.map((reaction) => mapMessage(reaction, viewer)),
  };
}
