// Builds the same markup as the server's templates (views/partials/*.hbs) from the API's DTOs.
// Only textContent and attributes are ever set from data, so user content cannot become markup.

export const LIKE = '+';
const GROUP_GAP_MS = 5 * 60 * 1000;
const AVATAR_HUES = 8;
const SVG = 'http://www.w3.org/2000/svg';
const ICONS = new URL('../icons.svg', import.meta.url).pathname;

/** A stable colour per id (the same rule as the server's page view). */
export function hueOf(id) {
  let sum = 0;
  for (const char of id ?? '') {
    sum = (sum * 31 + char.charCodeAt(0)) % 1_000_003;
  }
  return sum % AVATAR_HUES;
}

export function initialOf(name) {
  const first = /[\p{L}\p{N}]/u.exec(name ?? '')?.[0] ?? [...(name ?? '').trim()][0];
  return first ? first.toUpperCase() : '?';
}

/** An element with a class and optional text (always as text, never as markup). */
export function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) {
    node.className = className;
  }
  if (text !== undefined && text !== null) {
    node.textContent = text;
  }
  return node;
}

export function icon(name) {
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('class', 'icon');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  const use = document.createElementNS(SVG, 'use');
  use.setAttribute('href', `${ICONS}#i-${name}`);
  svg.append(use);
  return svg;
}

function srOnly(text) {
  return el('span', 'sr-only', text);
}

export function avatar(name, id, extra = '') {
  const node = el('span', `avatar ${extra} avatar--hue-${hueOf(id)}`.replace(/\s+/g, ' ').trim(), initialOf(name));
  node.setAttribute('aria-hidden', 'true');
  return node;
}

const sameDay = (a, b) => a.toDateString() === b.toDateString();

/** Local time for a message: the time today, else with the day. */
export function formatTime(iso, now = new Date()) {
  const date = new Date(iso);
  const time = date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  if (sameDay(date, now)) {
    return time;
  }
  const yesterday = new Date(now);
  yesterday.setDate(now.getDate() - 1);
  if (sameDay(date, yesterday)) {
    return `Yesterday ${time}`;
  }
  const sameYear = date.getFullYear() === now.getFullYear();
  const day = date.toLocaleDateString([], { day: 'numeric', month: 'short', year: sameYear ? undefined : 'numeric' });
  return `${day}, ${time}`;
}

/** Short form for lists: the time today, else the date. */
export function formatShort(iso, now = new Date()) {
  const date = new Date(iso);
  if (sameDay(date, now)) {
    return date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  }
  const sameYear = date.getFullYear() === now.getFullYear();
  return date.toLocaleDateString([], { day: 'numeric', month: 'short', year: sameYear ? undefined : 'numeric' });
}

/** Replaces the server's UTC labels with the reader's local time. */
export function localizeTimes(root = document) {
  for (const node of root.querySelectorAll('time[datetime]')) {
    const iso = node.getAttribute('datetime');
    node.textContent = node.dataset.format === 'relative' ? formatShort(iso) : formatTime(iso);
    node.title = new Date(iso).toLocaleString();
  }
}

function reactionGroups(message, me) {
  // The counts cover every reaction; the list holds the latest, where one's own is found to undo it.
  const mineIds = new Map();
  for (const reaction of message.reactions ?? []) {
    if (reaction.user_id === me) {
      mineIds.set(reaction.body, reaction.id);
    }
  }
  const groups = (message.reaction_counts ?? []).map((count) => ({
    body: count.body,
    count: count.count,
    mine: count.is_mine,
    mineId: mineIds.get(count.body) ?? '',
  }));
  const like = groups.find((group) => group.body === LIKE) ?? { body: LIKE, count: 0, mine: false, mineId: '' };
  return { like, others: groups.filter((group) => group.body !== LIKE) };
}

function reactionButton(group, isLike) {
  const button = el('button', `reaction${isLike ? ' reaction--like' : ''}`);
  button.type = 'button';
  button.dataset.body = group.body;
  button.dataset.mineId = group.mineId;
  button.setAttribute('aria-pressed', String(group.mine));
  if (isLike) {
    button.title = 'Like';
    button.append(icon('thumbs-up'));
  } else {
    button.append(el('span', 'reaction__label', group.body));
  }
  button.append(el('span', 'reaction__count', String(group.count)));
  return button;
}

/** http(s) addresses in text; a trailing sentence mark or closing bracket is not part of one (as the server's `bodyParts`). */
const LINK = /\bhttps?:\/\/[^\s<>"']+/gi;
const TRAILING = /[.,;:!?)\]}]+$/;

/** A body as text nodes and links: only http(s) addresses the URL parser accepts become links. */
function bodyNodes(body) {
  const nodes = [];
  let at = 0;
  for (const match of body.matchAll(LINK)) {
    const link = match[0].replace(TRAILING, '');
    let href;
    try {
      href = new URL(link).href;
    } catch {
      continue;
    }
    if (match.index > at) {
      nodes.push(document.createTextNode(body.slice(at, match.index)));
    }
    const anchor = el('a', '', link);
    anchor.href = href;
    anchor.target = '_blank';
    anchor.rel = 'noopener noreferrer';
    nodes.push(anchor);
    at = match.index + link.length;
  }
  if (at < body.length) {
    nodes.push(document.createTextNode(body.slice(at)));
  }
  return nodes;
}

function toolButton(action, iconName, label) {
  const button = el('button', 'msg__tool');
  button.type = 'button';
  button.dataset.action = action;
  button.title = label;
  button.append(icon(iconName), srOnly(label));
  return button;
}

/** The largest a message shows an image, in CSS pixels (the same as the server's page view). */
const IMAGE_BOX = { width: 320, height: 280 };

/** An image's size fitted in IMAGE_BOX, so that its box is laid out before it loads. */
export function fitImage(width, height) {
  const scale = Math.min(1, IMAGE_BOX.width / width, IMAGE_BOX.height / height);
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

/**
 * An attached image: its blurred placeholder at once, the thumbnail over it once loaded, and the full
 * image opened on click. Images stored before thumbnails existed show the full image.
 */
export function renderImage(image) {
  const link = el('a', 'msg__image');
  link.href = image.image;
  link.target = '_blank';
  link.rel = 'noopener';
  const { width, height } = fitImage(image.width, image.height);
  if (image.placeholder) {
    const placeholder = document.createElement('img');
    placeholder.className = 'msg__placeholder';
    placeholder.src = image.placeholder;
    placeholder.width = width;
    placeholder.height = height;
    placeholder.alt = '';
    link.append(placeholder);
  }
  const img = document.createElement('img');
  img.className = 'msg__thumb';
  img.src = image.thumbnail ?? image.image;
  img.width = width;
  img.height = height;
  img.alt = image.name;
  img.loading = 'lazy';
  link.append(img);
  return link;
}

/**
 * A message as an <article>, the same as the server's `message` partial.
 * ctx: { me, isAdmin, nameOf(roomUserId) }.
 */
export function renderMessage(message, ctx) {
  const mine = message.is_me === true;
  const author = ctx.nameOf(message.room_user_id);
  const mentionsMe = (message.mentions ?? []).includes(ctx.me);
  const article = el('article', `msg${mine ? ' msg--mine' : ''}${mentionsMe ? ' msg--mention' : ''}`);
  article.id = `m-${message.id}`;
  article.dataset.id = message.id;
  article.dataset.roomUserId = message.room_user_id;
  article.dataset.created = message.created;
  article.dataset.seen = String(message.is_seen_by_me);

  const meta = el('div', 'msg__meta');
  const time = el('time', 'msg__time', formatTime(message.created));
  time.setAttribute('datetime', message.created);
  time.title = new Date(message.created).toLocaleString();
  meta.append(el('span', 'msg__author', author), time);
  if (message.modified !== message.created) {
    meta.append(el('span', 'msg__edited', 'edited'));
  }
  if (mentionsMe) {
    meta.append(el('span', 'msg__mention', 'mentions you'));
  }

  const bubble = el('div', 'msg__bubble');
  const body = el('div', 'msg__body');
  body.append(...bodyNodes(message.body));
  bubble.append(body);
  if (message.images?.length) {
    const images = el('div', 'msg__images');
    for (const image of message.images) {
      images.append(renderImage(image));
    }
    bubble.append(images);
  }

  const { like, others } = reactionGroups(message, ctx.me);
  const tools = el('div', 'msg__tools');
  const likeTool = toolButton('like', 'thumbs-up', 'Like');
  likeTool.dataset.body = like.body;
  likeTool.dataset.mineId = like.mineId;
  likeTool.setAttribute('aria-pressed', String(like.mine));
  tools.append(likeTool);
  const picker = document.getElementById('react-picker');
  if (picker) {
    tools.append(picker.content.cloneNode(true));
  }
  if (mine) {
    tools.append(toolButton('edit', 'edit', 'Edit'));
  }
  if (mine || ctx.isAdmin) {
    tools.append(toolButton('delete', 'trash', 'Delete'));
  }
  const line = el('div', 'msg__line');
  line.append(bubble, tools);

  const reactions = el('div', 'msg__reactions');
  if (like.count > 0) {
    reactions.append(reactionButton(like, true));
  }
  reactions.append(...others.map((group) => reactionButton(group, false)));

  const main = el('div', 'msg__main');
  main.append(meta, line, reactions);
  article.append(avatar(author, message.user_id, 'msg__avatar'), main);
  return article;
}

/** Marks messages that continue their author's run (same author, a few minutes apart). */
export function regroup(container) {
  let previous = null;
  for (const node of container.children) {
    const continued =
      previous !== null &&
      previous.dataset.roomUserId === node.dataset.roomUserId &&
      Date.parse(node.dataset.created) - Date.parse(previous.dataset.created) < GROUP_GAP_MS;
    node.classList.toggle('msg--cont', continued);
    previous = node;
  }
}

/** A room member, the same as the server's `member` partial. */
export function renderMember(member) {
  const item = el('li', `member${member.is_online ? ' member--online' : ''}`);
  item.dataset.roomUserId = member.id;
  item.dataset.userId = member.user_id ?? '';
  const face = avatar(member.name, member.user_id, 'avatar--small');
  face.append(el('span', 'presence'));
  const text = el('span', 'member__text');
  text.append(el('span', 'member__name', member.name));
  if (member.status) {
    text.append(el('span', 'member__status', member.status));
  }
  item.append(face, text);
  if (member.is_me) {
    item.append(el('span', 'member__me', 'you'));
  }
  item.append(el('span', 'sr-only member__state', member.is_online ? 'online' : 'offline'));
  return item;
}

export function previewOf(message) {
  if (!message) {
    return 'No messages yet';
  }
  const text = message.body.trim().replace(/\s+/g, ' ');
  if (text) {
    return text.length > 120 ? `${text.slice(0, 119)}…` : text;
  }
  return message.images?.length ? 'Photo' : '';
}

/** Fills a room item's preview, time and unread count, and its count of unseen mentions when given. */
export function setRoomPreview(item, message, newCount, mentionCount) {
  const preview = item.querySelector('.room-item__preview');
  preview.replaceChildren();
  if (message?.is_me) {
    preview.append(el('span', 'room-item__you', 'You: '));
  }
  preview.append(el('span', 'room-item__snippet', previewOf(message)));
  if (message) {
    const time = item.querySelector('.room-item__time');
    time.setAttribute('datetime', message.created);
    time.textContent = formatShort(message.created);
    item.dataset.lastId = message.id;
    item.dataset.lastCreated = message.created;
  }
  setNewCount(item, newCount);
  if (mentionCount !== undefined) {
    setMentionCount(item, mentionCount);
  }
}

/** A room item's unread badge. */
export function setNewCount(item, newCount) {
  const count = item.querySelector('.count');
  item.dataset.newCount = String(newCount);
  count.textContent = String(newCount);
  count.setAttribute('aria-label', `${newCount} new messages`);
  count.hidden = newCount === 0;
  item.classList.toggle('room-item--unread', newCount > 0);
}

/** A room item's badge of unseen messages that mention the reader. */
export function setMentionCount(item, mentionCount) {
  const mentions = item.querySelector('.mention-count');
  item.dataset.mentionCount = String(mentionCount);
  mentions.textContent = `@${mentionCount}`;
  mentions.setAttribute('aria-label', `${mentionCount} new mentions of you`);
  mentions.hidden = mentionCount === 0;
}

function flag(iconName, title) {
  const node = el('span', 'room-item__flag');
  node.title = title;
  node.append(icon(iconName));
  return node;
}

/** A room in the list, the same as the server's `room-item` partial. */
export function renderRoomItem(room) {
  const item = el('li', `room-item${room.is_muted ? ' room-item--muted' : ''}`);
  item.dataset.roomId = room.id;
  const link = el('a', 'room-item__link');
  link.href = `/chat/${encodeURIComponent(room.id)}/`;
  const title = el('span', 'room-item__title');
  title.append(el('span', 'room-item__name', room.title));
  if (!room.is_public) {
    title.append(flag('lock', 'Private room'));
  }
  if (room.is_muted) {
    title.append(flag('bell-off', 'Muted'));
  }
  const text = el('span', 'room-item__text');
  text.append(title, el('span', 'room-item__preview'));
  const meta = el('span', 'room-item__meta');
  const activity = room.last_message?.created ?? room.created;
  const time = el('time', 'room-item__time', formatShort(activity));
  time.setAttribute('datetime', activity);
  time.dataset.format = 'relative';
  const mentions = el('span', 'mention-count');
  const count = el('span', 'count');
  meta.append(time, mentions, count);
  link.append(avatar(room.title, room.id, 'avatar--room'), text, meta);
  item.append(link);
  item.dataset.lastId = '';
  item.dataset.lastCreated = '';
  setRoomPreview(item, room.last_message, room.message_new_count, room.mention_new_count);
  return item;
}
