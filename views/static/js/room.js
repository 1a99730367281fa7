// `/chat/<room_id>/`: the server rendered the room and its latest messages; this keeps it live.
import { connectLive } from './live.js';
import { el, localizeTimes, regroup, renderMember, renderMessage } from './render.js';
import { adoptLinkToken, createApi, requireToken } from './session.js';

const PAGE = 50;
const CATCH_UP_PAGE = 200;
const NEAR_BOTTOM_PX = 120;

const body = document.body;
const roomId = body.dataset.roomId;
const me = body.dataset.me;
const isAdmin = body.dataset.roomAdmin === 'true';
const base = `/api/v1/chat/rooms/${encodeURIComponent(roomId)}`;

const $ = (id) => document.getElementById(id);
const log = $('log');
const messagesEl = $('messages');
const emptyEl = $('empty');
const jump = $('jump');
const input = $('body');
const composer = $('composer');
const fileInput = $('file');
const attachmentsEl = $('attachments');
const composerError = $('composer-error');
const memberList = $('member-list');

await adoptLinkToken();

const state = {
  hasOlder: body.dataset.hasOlder === 'true',
  loadingOlder: false,
  /** Room users by room-user id (former members too, so old messages keep their author). */
  members: new Map(),
  /** Updates that arrived while their message was being edited. */
  deferred: new Map(),
};

for (const node of messagesEl.querySelectorAll('.msg')) {
  const author = node.querySelector('.msg__author')?.textContent;
  if (author && !state.members.has(node.dataset.roomUserId)) {
    state.members.set(node.dataset.roomUserId, { id: node.dataset.roomUserId, name: author });
  }
}

const nameOf = (roomUserId) => state.members.get(roomUserId)?.name ?? 'Someone';
const renderContext = { me, isAdmin, nameOf };
const nearBottom = () => log.scrollHeight - log.scrollTop - log.clientHeight < NEAR_BOTTOM_PX;
const scrollToBottom = () => {
  log.scrollTop = log.scrollHeight;
  jump.hidden = true;
};
const nodeOf = (messageId) => document.getElementById(`m-${messageId}`);

localizeTimes(document);
scrollToBottom();

const token = await requireToken(me);
const api = createApi(token, () => location.reload());

// Seen receipts: what has been on screen is marked seen, in batches.
const pendingSeen = new Set();
let seenTimer = null;

async function flushSeen() {
  seenTimer = null;
  if (pendingSeen.size === 0 || document.visibilityState !== 'visible') {
    return;
  }
  const ids = [...pendingSeen].slice(0, 1000);
  ids.forEach((id) => pendingSeen.delete(id));
  try {
    const result = await api.post(`${base}/messages/seen/`, { message_ids: ids });
    for (const id of result.message_ids) {
      nodeOf(id)?.setAttribute('data-seen', 'true');
    }
  } catch {
    ids.forEach((id) => pendingSeen.add(id));
  }
  if (pendingSeen.size > 0) {
    seenTimer = setTimeout(() => void flushSeen(), 2000);
  }
}

const seenObserver = new IntersectionObserver(
  (entries) => {
    for (const entry of entries) {
      if (entry.isIntersecting && entry.target.dataset.seen === 'false') {
        pendingSeen.add(entry.target.dataset.id);
        seenObserver.unobserve(entry.target);
      }
    }
    if (pendingSeen.size > 0 && seenTimer === null) {
      seenTimer = setTimeout(() => void flushSeen(), 400);
    }
  },
  { root: log, threshold: 0.5 },
);
document.addEventListener('visibilitychange', () => {
  if (document.visibilityState === 'visible' && pendingSeen.size > 0 && seenTimer === null) {
    seenTimer = setTimeout(() => void flushSeen(), 400);
  }
});

function watch(node) {
  if (node.dataset.seen === 'false') {
    seenObserver.observe(node);
  }
}
messagesEl.querySelectorAll('.msg').forEach(watch);

// The message log.
const order = (a, b) =>
  a.created === b.created ? (a.id < b.id ? -1 : a.id > b.id ? 1 : 0) : a.created < b.created ? -1 : 1;
const keyOf = (node) => ({ created: node.dataset.created, id: node.dataset.id });

function afterChange() {
  regroup(messagesEl);
  emptyEl.hidden = messagesEl.children.length > 0;
}

/** Adds or replaces a message of this room in the log; answers whether it is shown. */
function upsert(message, { scroll = false } = {}) {
  if (message.room_id !== roomId || message.is_reaction) {
    return false;
  }
  const existing = nodeOf(message.id);
  if (existing?.classList.contains('msg--editing')) {
    state.deferred.set(message.id, message);
    return true;
  }
  const wasNearBottom = nearBottom();
  const node = renderMessage(message, renderContext);
  if (existing) {
    existing.replaceWith(node);
  } else {
    const key = { created: message.created, id: message.id };
    const first = messagesEl.firstElementChild;
    // Older than what is loaded: it comes with the history when the reader scrolls up.
    if (state.hasOlder && first && order(key, keyOf(first)) < 0) {
      return false;
    }
    let after = messagesEl.lastElementChild;
    while (after && order(keyOf(after), key) > 0) {
      after = after.previousElementSibling;
    }
    if (after) {
      after.after(node);
    } else {
      messagesEl.prepend(node);
    }
    if (node === messagesEl.lastElementChild) {
      if (scroll || message.is_me || wasNearBottom) {
        requestAnimationFrame(scrollToBottom);
      } else {
        jump.hidden = false;
      }
    }
  }
  watch(node);
  afterChange();
  return true;
}

function removeMessage(messageId) {
  const node = nodeOf(messageId);
  if (node) {
    seenObserver.unobserve(node);
    node.remove();
    afterChange();
  }
}

jump.addEventListener('click', scrollToBottom);
log.addEventListener('scroll', () => {
  if (!jump.hidden && nearBottom()) {
    jump.hidden = true;
  }
});

// History: older messages as the reader scrolls up, by cursor.
function setHasOlder(hasOlder) {
  state.hasOlder = hasOlder;
  log.querySelector('.log__start').hidden = hasOlder;
  log.querySelector('.log__loading').hidden = !hasOlder;
}

async function loadOlder() {
  const first = messagesEl.firstElementChild;
  if (!state.hasOlder || state.loadingOlder || !first) {
    return;
  }
  state.loadingOlder = true;
  try {
    const page = await api.get(`${base}/messages/?before=${encodeURIComponent(first.dataset.id)}&limit=${PAGE}`);
    await ensureAuthors(page.results);
    const fromBottom = log.scrollHeight - log.scrollTop;
    const nodes = page.results
      .filter((message) => !nodeOf(message.id))
      .reverse()
      .map((message) => renderMessage(message, renderContext));
    messagesEl.prepend(...nodes);
    nodes.forEach(watch);
    afterChange();
    log.scrollTop = log.scrollHeight - fromBottom;
    setHasOlder(page.next !== null);
  } catch {
    // Tried again on the next scroll.
  } finally {
    state.loadingOlder = false;
  }
  if (state.hasOlder && log.scrollTop < 400) {
    void loadOlder();
  }
}

new IntersectionObserver(
  (entries) => {
    if (entries.some((entry) => entry.isIntersecting)) {
      void loadOlder();
    }
  },
  { root: log, rootMargin: '400px 0px 0px 0px' },
).observe($('log-top'));

// Members and presence.
function sortMembers() {
  const items = [...memberList.children].sort((a, b) => {
    const online = Number(b.classList.contains('member--online')) - Number(a.classList.contains('member--online'));
    return (
      online || a.querySelector('.member__name').textContent.localeCompare(b.querySelector('.member__name').textContent)
    );
  });
  memberList.append(...items);
  $('online-count').textContent = String(memberList.querySelectorAll('.member--online').length);
  $('member-count').textContent = String(memberList.children.length);
}

function applyMember(roomUser) {
  if (roomUser.room_id !== roomId) {
    return;
  }
  const known = state.members.get(roomUser.id);
  state.members.set(roomUser.id, roomUser);
  const item = memberList.querySelector(`[data-room-user-id="${CSS.escape(roomUser.id)}"]`);
  if (!roomUser.is_active || roomUser.user_id === null) {
    item?.remove();
  } else if (item) {
    item.replaceWith(renderMember(roomUser));
  } else {
    memberList.append(renderMember(roomUser));
  }
  if (known && known.name !== roomUser.name) {
    for (const node of messagesEl.querySelectorAll(
      `.msg[data-room-user-id="${CSS.escape(roomUser.id)}"] .msg__author`,
    )) {
      node.textContent = roomUser.name;
    }
  }
}

async function loadMembers() {
  const roomUsers = await api.get(`${base}/users/`);
  roomUsers.forEach(applyMember);
  sortMembers();
}

/** Authors not seen before (someone who just joined) are looked up before their message is drawn. */
async function ensureAuthors(messages) {
  if (messages.some((message) => message.room_id === roomId && !state.members.has(message.room_user_id))) {
    await loadMembers().catch(() => undefined);
  }
}

$('members-toggle').addEventListener('click', (event) => {
  event.stopPropagation();
  const open = !body.classList.contains('show-members');
  body.classList.toggle('show-members', open);
  $('members-toggle').setAttribute('aria-expanded', String(open));
});
document.addEventListener('click', (event) => {
  if (body.classList.contains('show-members') && !$('members').contains(event.target)) {
    body.classList.remove('show-members');
    $('members-toggle').setAttribute('aria-expanded', 'false');
  }
});

// Mute.
const muteButton = $('mute');
muteButton.addEventListener('click', async () => {
  const muted = muteButton.getAttribute('aria-pressed') === 'true';
  muteButton.disabled = true;
  try {
    const room = await api.post(`${base}/${muted ? 'unmute' : 'mute'}/`);
    muteButton.setAttribute('aria-pressed', String(room.is_muted));
    muteButton.title = room.is_muted ? 'Unmute this room' : 'Mute this room';
  } finally {
    muteButton.disabled = false;
  }
});

// Reactions, editing and deleting, by delegation on the log.
async function refreshMessage(messageId) {
  const message = await api.get(`${base}/messages/${encodeURIComponent(messageId)}/`);
  await ensureAuthors([message]);
  upsert(message);
}

async function toggleReaction(button) {
  const article = button.closest('.msg');
  if (button.disabled) {
    return;
  }
  button.disabled = true;
  try {
    if (button.getAttribute('aria-pressed') === 'true' && button.dataset.mineId) {
      await api.delete(`${base}/messages/${encodeURIComponent(button.dataset.mineId)}/`);
    } else {
      await api.post(`${base}/messages/`, {
        body: button.dataset.body,
        parent_id: article.dataset.id,
        is_reaction: true,
      });
    }
    await refreshMessage(article.dataset.id);
  } catch (error) {
    showComposerError(error.message);
  } finally {
    button.disabled = false;
  }
}

function startEdit(article) {
  if (article.classList.contains('msg--editing')) {
    return;
  }
  const bodyEl = article.querySelector('.msg__body');
  const editor = el('div', 'msg__editor');
  const area = el('textarea', 'msg__edit-input');
  area.value = bodyEl.textContent;
  area.rows = Math.min(8, Math.max(1, area.value.split('\n').length));
  area.setAttribute('aria-label', 'Edit message');
  const hint = el('div', 'msg__edit-hint');
  const save = el('button', 'btn btn--primary btn--small', 'Save');
  save.type = 'button';
  const cancel = el('button', 'btn btn--ghost btn--small', 'Cancel');
  cancel.type = 'button';
  hint.append(el('span', 'msg__edit-keys', 'Enter to save · Esc to cancel'), cancel, save);
  editor.append(area, hint);
  article.classList.add('msg--editing');
  article.querySelector('.msg__line').after(editor);

  const finish = () => {
    article.classList.remove('msg--editing');
    editor.remove();
    const later = state.deferred.get(article.dataset.id);
    state.deferred.delete(article.dataset.id);
    if (later) {
      upsert(later);
    }
  };
  const commit = async () => {
    const text = area.value.trim();
    if (text === bodyEl.textContent) {
      finish();
      return;
    }
    save.disabled = true;
    try {
      const message = await api.patch(`${base}/messages/${encodeURIComponent(article.dataset.id)}/`, { body: text });
      state.deferred.set(message.id, message);
      finish();
    } catch (error) {
      hint.firstChild.textContent = error.message;
      save.disabled = false;
    }
  };
  area.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      void commit();
    } else if (event.key === 'Escape') {
      finish();
    }
  });
  save.addEventListener('click', () => void commit());
  cancel.addEventListener('click', finish);
  area.focus();
  area.setSelectionRange(area.value.length, area.value.length);
}

function confirmDelete(article) {
  if (article.querySelector('.msg__confirm')) {
    return;
  }
  const box = el('div', 'msg__confirm');
  const yes = el('button', 'btn btn--danger btn--small', 'Delete');
  yes.type = 'button';
  const no = el('button', 'btn btn--ghost btn--small', 'Cancel');
  no.type = 'button';
  box.append(el('span', null, 'Delete this message?'), no, yes);
  article.querySelector('.msg__reactions').before(box);
  no.addEventListener('click', () => box.remove());
  yes.addEventListener('click', async () => {
    yes.disabled = true;
    try {
      await api.delete(`${base}/messages/${encodeURIComponent(article.dataset.id)}/`);
      removeMessage(article.dataset.id);
    } catch (error) {
      box.firstChild.textContent = error.message;
      yes.disabled = false;
    }
  });
}

messagesEl.addEventListener('click', (event) => {
  const target = event.target instanceof Element ? event.target : null;
  const reaction = target?.closest('.reaction, .msg__tool[data-action="like"]');
  if (reaction) {
    void toggleReaction(reaction);
    return;
  }
  const tool = target?.closest('.msg__tool');
  if (tool?.dataset.action === 'edit') {
    startEdit(tool.closest('.msg'));
  } else if (tool?.dataset.action === 'delete') {
    confirmDelete(tool.closest('.msg'));
  }
});

// The composer: Enter sends, Shift+Enter is a new line; images are previewed before they go.
const attachments = [];

function showComposerError(message) {
  composerError.textContent = message ?? '';
  composerError.hidden = !message;
}

function autosize() {
  input.style.height = 'auto';
  input.style.height = `${Math.min(input.scrollHeight, 180)}px`;
}

function renderAttachments() {
  attachmentsEl.replaceChildren(
    ...attachments.map((attachment) => {
      const item = el('li', 'attachment');
      const img = document.createElement('img');
      img.src = attachment.preview;
      img.alt = attachment.file.name;
      const remove = el('button', 'attachment__remove', '×');
      remove.type = 'button';
      remove.title = `Remove ${attachment.file.name}`;
      remove.addEventListener('click', () => {
        URL.revokeObjectURL(attachment.preview);
        attachments.splice(attachments.indexOf(attachment), 1);
        renderAttachments();
      });
      item.append(img, remove);
      return item;
    }),
  );
  attachmentsEl.hidden = attachments.length === 0;
}

function addFiles(files) {
  const images = [...files].filter((file) => file.type.startsWith('image/'));
  if (images.length < files.length) {
    showComposerError('Only images can be attached.');
  }
  for (const file of images) {
    attachments.push({ file, preview: URL.createObjectURL(file) });
  }
  renderAttachments();
}

fileInput.addEventListener('change', () => {
  showComposerError('');
  addFiles(fileInput.files);
  fileInput.value = '';
  input.focus();
});
input.addEventListener('paste', (event) => {
  const files = [...(event.clipboardData?.files ?? [])];
  if (files.length > 0) {
    event.preventDefault();
    addFiles(files);
  }
});
log.addEventListener('dragover', (event) => event.preventDefault());
log.addEventListener('drop', (event) => {
  event.preventDefault();
  addFiles(event.dataTransfer?.files ?? []);
});

let sending = false;
async function send() {
  const text = input.value.trim();
  if (sending || (!text && attachments.length === 0)) {
    return;
  }
  sending = true;
  $('send').disabled = true;
  showComposerError('');
  try {
    let messageId = null;
    if (text) {
      const message = await api.post(`${base}/messages/`, { body: text });
      messageId = message.id;
      input.value = '';
      autosize();
      // The first message in a public room makes the sender a member: a room user not known yet.
      await ensureAuthors([message]);
      upsert(message, { scroll: true });
    }
    while (attachments.length > 0) {
      const attachment = attachments[0];
      const form = new FormData();
      if (messageId) {
        form.append('message_id', messageId);
      } else {
        form.append('room_id', roomId);
      }
      form.append('image', attachment.file, attachment.file.name);
      const image = await api.upload('/api/v1/chat/images/', form);
      messageId = image.message_id;
      URL.revokeObjectURL(attachment.preview);
      attachments.shift();
      renderAttachments();
    }
    if (messageId && !text) {
      await refreshMessage(messageId);
      scrollToBottom();
    } else if (messageId) {
      await refreshMessage(messageId);
    }
  } catch (error) {
    showComposerError(error.message);
  } finally {
    sending = false;
    $('send').disabled = false;
    input.focus();
  }
}

composer.addEventListener('submit', (event) => {
  event.preventDefault();
  void send();
});
input.addEventListener('keydown', (event) => {
  if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
    event.preventDefault();
    void send();
  }
});
input.addEventListener('input', autosize);

// Live updates, and what was missed while the connection was down.
async function onFrame(frame) {
  const messages = frame.messages ?? [];
  for (const roomUser of frame.users ?? []) {
    applyMember(roomUser);
    if (roomUser.room_id === roomId && roomUser.user_id === me && !roomUser.is_active) {
      // Removed from the room: if it is private, it is no longer ours to show.
      api.get(`${base}/`).catch((error) => error.status === 404 && location.reload());
    }
  }
  if ((frame.users ?? []).length > 0) {
    sortMembers();
  }
  await ensureAuthors(messages);
  for (const message of messages) {
    upsert(message);
  }
  for (const deleted of frame.deleted_messages ?? []) {
    if (deleted.room_id === roomId) {
      removeMessage(deleted.id);
    }
  }
}

/** Messages newer than the newest shown, page by page (`?after=`), then the latest page again for edits and deletions. */
async function catchUp() {
  let cursor = messagesEl.lastElementChild?.dataset.id;
  while (cursor) {
    let page;
    try {
      page = await api.get(`${base}/messages/?after=${encodeURIComponent(cursor)}&limit=${CATCH_UP_PAGE}`);
    } catch {
      break;
    }
    const newer = [...page.results].reverse();
    await ensureAuthors(newer);
    newer.forEach((message) => upsert(message));
    cursor = page.previous !== null && newer.length > 0 ? newer[newer.length - 1].id : null;
  }
  const latest = await api.get(`${base}/messages/?limit=${PAGE}`);
  const ids = new Set(latest.results.map((message) => message.id));
  const oldest = latest.results[latest.results.length - 1];
  for (const node of [...messagesEl.children]) {
    if ((!oldest || order(keyOf(node), oldest) >= 0) && !ids.has(node.dataset.id)) {
      removeMessage(node.dataset.id);
    }
  }
  await ensureAuthors(latest.results);
  [...latest.results].reverse().forEach((message) => upsert(message));
  const room = await api.get(`${base}/`);
  $('room-title').textContent = room.title;
  $('room-description').textContent = room.description;
  $('room-description').hidden = !room.description;
}

// The member list is read first and live frames are applied after it, so that a snapshot read before a
// change (someone coming online) never lands on top of the frame that announced it.
let frames = loadMembers().catch(() => undefined);
connectLive(token, {
  // Frames are applied one after another, in the order they came.
  onFrame: (frame) => {
    frames = frames.then(() => onFrame(frame)).catch(() => undefined);
  },
  // A spent token answers 401 here, and the page reloads into the sign-in form.
  onFailing: () => void api.get('/api/v1/auth/users/me/').catch(() => undefined),
  onState: (connection) => {
    $('conn').hidden = connection !== 'down';
  },
  onReconnect: () => {
    frames = frames.then(() => Promise.all([catchUp(), loadMembers()])).catch(() => undefined);
  },
});

/**
 * A link to one message (`#m-<id>`, as search results give): older history is loaded until it is
 * there, then it is scrolled to, marked and focused.
 */
async function revealLinkedMessage() {
  const id = /^#m-([0-9a-fA-F-]{36})$/.exec(location.hash)?.[1];
  if (!id) {
    return false;
  }
  for (let tries = 0; !nodeOf(id) && state.hasOlder && tries < 200; tries++) {
    if (state.loadingOlder) {
      await new Promise((done) => setTimeout(done, 50));
    } else {
      await loadOlder();
    }
  }
  const node = nodeOf(id);
  if (!node) {
    return false;
  }
  node.classList.add('msg--found');
  node.tabIndex = -1;
  node.scrollIntoView({ block: 'center' });
  node.focus({ preventScroll: true });
  return true;
}

// On a phone, focusing would pop the keyboard up over the messages.
if (!(await revealLinkedMessage()) && matchMedia('(hover: hover)').matches) {
  input.focus();
}
