import type { MessageDto } from '../messages/dto/message.dto';
import type { RoomUserDto } from '../room-users/dto/room-user.dto';
import type { RoomDto } from '../rooms/dto/room.dto';

/**
 * What the templates show, computed from the same DTOs the API returns. The browser scripts
 * (`views/static/js/render.js`) build the same markup for messages that arrive later, from the same
 * DTOs, with the same small presentation rules (avatar colour, grouping, reaction chips).
 */

/** The reaction the "like" button sends. */
export const LIKE = '+';

/** Consecutive messages of one author within this time are shown as one group. */
export const GROUP_GAP_MS = 5 * 60 * 1000;

export const AVATAR_HUES = 8;

export interface AvatarView {
  initial: string;
  hue: number;
}

export interface MemberView extends AvatarView {
  id: string;
  userId: string | null;
  name: string;
  isMe: boolean;
  isOnline: boolean;
  status: string;
}

export interface ReactionView {
  body: string;
  label: string;
  count: number;
  mine: boolean;
  /** The id of the viewer's own reaction with this body (to take it back), or ''. */
  mineId: string;
}

export interface ImageItemView {
  /** The full image, opened on click. */
  url: string;
  /** What the message shows: the thumbnail, or the full image when there is none. */
  src: string;
  placeholder: string | null;
  /** The size shown: the image fitted in IMAGE_BOX, so that its box is laid out before it loads. */
  width: number;
  height: number;
  name: string;
}

/** The largest a message shows an image, in CSS pixels (the same in render.js). */
export const IMAGE_BOX = { width: 320, height: 280 };

export function fitImage(width: number, height: number): { width: number; height: number } {
  const scale = Math.min(1, IMAGE_BOX.width / width, IMAGE_BOX.height / height);
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

/** A piece of a message body: plain text, or a web link (`href` set) shown as its text. */
export interface BodyPart {
  text: string;
  href?: string;
}

/** What the room page offers to react with besides the like: a small fixed set. */
export const REACTION_PICKS = ['❤️', '😂', '🎉', '😮', '😢', '👀'];

/** http(s) addresses in text; a trailing sentence mark or closing bracket is not part of one. */
const LINK = /\bhttps?:\/\/[^\s<>"']+/gi;
const TRAILING = /[.,;:!?)\]}]+$/;

/**
 * A body cut into text and links, so that links are clickable: only `http:` and `https:` addresses
 * (never `javascript:` or `data:`), each checked by the URL parser. The page script does the same.
 */
export function bodyParts(body: string): BodyPart[] {
  const parts: BodyPart[] = [];
  let at = 0;
  for (const match of body.matchAll(LINK)) {
    const link = match[0].replace(TRAILING, '');
    let href: string;
    try {
      href = new URL(link).href;
    } catch {
      continue;
    }
    if (match.index > at) {
      parts.push({ text: body.slice(at, match.index) });
    }
    parts.push({ text: link, href });
    at = match.index + link.length;
  }
  if (at < body.length) {
    parts.push({ text: body.slice(at) });
  }
  return parts;
}

export interface MessageItemView extends AvatarView {
  id: string;
  roomUserId: string;
  userId: string | null;
  created: string;
  timeLabel: string;
  author: string;
  body: string;
  bodyParts: BodyPart[];
  mine: boolean;
  seen: boolean;
  /** Its body mentions the viewer. */
  mentionsMe: boolean;
  edited: boolean;
  continued: boolean;
  images: ImageItemView[];
  like: ReactionView;
  reactions: ReactionView[];
  canEdit: boolean;
  canDelete: boolean;
}

export interface RoomItemView extends AvatarView {
  id: string;
  title: string;
  description: string;
  isPublic: boolean;
  isMuted: boolean;
  newCount: number;
  mentionCount: number;
  lastId: string;
  lastCreated: string;
  lastActivity: string;
  lastActivityLabel: string;
  preview: string;
  previewMine: boolean;
}

/** A stable colour per id, so a person keeps their colour everywhere. */
export function hueOf(id: string | null): number {
  let sum = 0;
  for (const char of id ?? '') {
    sum = (sum * 31 + char.charCodeAt(0)) % 1_000_003;
  }
  return sum % AVATAR_HUES;
}

/** The first letter or digit of a name, for its avatar. */
export function initialOf(name: string): string {
  const first = /[\p{L}\p{N}]/u.exec(name)?.[0] ?? [...name.trim()][0];
  return first ? first.toUpperCase() : '?';
}

/** HH:MM in UTC; the page's script replaces it with the reader's local time. */
export const timeLabel = (iso: string): string => iso.slice(11, 16);

/** The like is drawn as an icon; other reactions show their text. */
export const reactionLabel = (body: string): string => (body === LIKE ? 'Like' : body);

export function toMemberViews(members: RoomUserDto[]): MemberView[] {
  return members
    .filter((member) => member.is_active && member.user_id !== null)
    .map((member) => ({
      id: member.id,
      userId: member.user_id,
      name: member.name,
      isMe: member.is_me === true,
      isOnline: member.is_online,
      status: member.status,
      initial: initialOf(member.name),
      hue: hueOf(member.user_id),
    }))
    .sort((a, b) => Number(b.isOnline) - Number(a.isOnline) || a.name.localeCompare(b.name));
}

function reactionViews(message: MessageDto, viewerId: string): { like: ReactionView; others: ReactionView[] } {
  // The counts cover every reaction; the list holds the latest, where the viewer's own is found to undo it.
  const mineIds = new Map(
    message.reactions
      .filter((reaction) => reaction.user_id === viewerId)
      .map((reaction) => [reaction.body, reaction.id]),
  );
  const views = message.reaction_counts.map((count) => ({
    body: count.body,
    label: reactionLabel(count.body),
    count: count.count,
    mine: count.is_mine,
    mineId: mineIds.get(count.body) ?? '',
  }));
  const like = views.find((view) => view.body === LIKE) ?? {
    body: LIKE,
    label: reactionLabel(LIKE),
    count: 0,
    mine: false,
    mineId: '',
  };
  return { like, others: views.filter((view) => view.body !== LIKE) };
}

/**
 * Messages oldest first, as the log shows them. `members` are all room users (former members too, so
 * old messages keep their author's name).
 */
export function toMessageViews(
  messages: MessageDto[],
  members: RoomUserDto[],
  viewer: { userId: string; isRoomAdmin: boolean },
): MessageItemView[] {
  const nameOf = new Map(members.map((member) => [member.id, member.name]));
  let previous: MessageDto | undefined;
  return messages.map((message) => {
    const author = nameOf.get(message.room_user_id) ?? 'Someone';
    const mine = message.is_me === true;
    const { like, others } = reactionViews(message, viewer.userId);
    const continued =
      previous !== undefined &&
      previous.room_user_id === message.room_user_id &&
      Date.parse(message.created) - Date.parse(previous.created) < GROUP_GAP_MS;
    previous = message;
    return {
      id: message.id,
      roomUserId: message.room_user_id,
      userId: message.user_id,
      created: message.created,
      timeLabel: timeLabel(message.created),
      author,
      initial: initialOf(author),
      hue: hueOf(message.user_id),
      body: message.body,
      bodyParts: bodyParts(message.body),
      mine,
      seen: message.is_seen_by_me,
      mentionsMe: message.mentions.includes(viewer.userId),
      edited: message.modified !== message.created,
      continued,
      images: message.images.map((image) => ({
        url: image.image,
        src: image.thumbnail ?? image.image,
        placeholder: image.placeholder,
        ...fitImage(image.width, image.height),
        name: image.name,
      })),
      like,
      reactions: others,
      canEdit: mine,
      canDelete: mine || viewer.isRoomAdmin,
    };
  });
}

export function previewOf(message: MessageDto | null): string {
  if (!message) {
    return 'No messages yet';
  }
  const text = message.body.trim().replace(/\s+/g, ' ');
  if (text) {
    return text.length > 120 ? `${text.slice(0, 119)}…` : text;
  }
  return message.images.length > 0 ? 'Photo' : '';
}

export function toRoomViews(rooms: RoomDto[]): RoomItemView[] {
  return rooms.map((room) => ({
    id: room.id,
    title: room.title,
    description: room.description,
    isPublic: room.is_public,
    isMuted: room.is_muted,
    newCount: room.message_new_count,
    mentionCount: room.mention_new_count,
    lastId: room.last_message?.id ?? '',
    lastCreated: room.last_message?.created ?? '',
    lastActivity: room.last_message?.created ?? room.created,
    lastActivityLabel: timeLabel(room.last_message?.created ?? room.created),
    preview: previewOf(room.last_message),
    previewMine: room.last_message?.is_me === true,
    initial: initialOf(room.title),
    hue: hueOf(room.id),
  }));
}
