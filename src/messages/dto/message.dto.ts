import { ApiProperty } from '@nestjs/swagger';
import { ApiIdListProperty, ApiIdProperty, ApiTimestampProperty } from '../../common/openapi/properties';
import { ImageDto, ImageView, mapImage } from '../../images/dto/image.dto';

export class ReactionCountDto {
  @ApiProperty({ description: 'The reaction, e.g. "+" or an emoji' })
  body: string;

  @ApiProperty({ description: 'How many reacted with it' })
  count: number;

  @ApiProperty({ description: 'Whether the caller is one of them' })
  is_mine: boolean;
}

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

  @ApiProperty({
    type: String,
    nullable: true,
    description: "The author's client_id sent with it (see POST messages/), null when none",
  })
  client_id: string | null;

  @ApiProperty({ type: Boolean, nullable: true, description: 'Whether the caller wrote it; null for system messages' })
  is_me: boolean | null;

  @ApiProperty({ description: 'Whether the caller has seen it (their own messages count as seen)' })
  is_seen_by_me: boolean;

  @ApiProperty({ type: [ImageDto] })
  images: ImageDto[];

  @ApiProperty({
    type: () => [MessageDto],
    description: 'The latest reactions to this message (at most 100), oldest first',
  })
  reactions: MessageDto[];

  @ApiProperty({
    type: [ReactionCountDto],
    description: 'Every reaction body on this message with its count, most used first',
  })
  reaction_counts: ReactionCountDto[];

  @ApiIdListProperty({
    description:
      'User ids of the room members its body mentions as @username (members when it was stored or last edited)',
  })
  mentions: string[];
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
  clientId: string | null;
  images: ImageView[];
  reactions: MessageView[];
  /** Each reaction body with its count and who reacted with it, most used first. */
  reactionCounts: { body: string; count: number; userIds: string[] }[];
  /** User ids of the members the body mentions, sorted. */
  mentions: string[];
}

/** A message just stored, as a view: no reactions or images yet; its mentions as resolved when storing it. */
export const newMessageView = (
  message: Pick<
    MessageView,
    'id' | 'created' | 'modified' | 'roomId' | 'roomUserId' | 'userId' | 'body' | 'parentId' | 'isReaction' | 'clientId'
  > & { mentions?: string[] },
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
  clientId: message.clientId,
  images: [],
  reactions: [],
  reactionCounts: [],
  mentions: message.mentions ?? [],
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
    client_id: view.clientId,
    is_me: isMe,
    is_seen_by_me: isMe === true || viewer.seen.has(view.id),
    images: view.images.map(mapImage),
    reactions: view.reactions.map((reaction) => mapMessage(reaction, viewer)),
    reaction_counts: view.reactionCounts.map((count) => ({
      body: count.body,
      count: count.count,
      is_mine: count.userIds.includes(viewer.userId),
    })),
    mentions: view.mentions,
  };
}
