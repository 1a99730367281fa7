// `/chat/<room_id>/`: the server rendered the room and its latest messages; this keeps it live.
import { connectLive, LiveError } from './live.js';
import { el, localizeTimes, regroup, renderMember, renderMessage } from './render.js';
import { adoptLinkToken, createApi, requireToken } from './session.js';

const PAGE = 50;
const CATCH_UP_PAGE = 200;
const NEAR_BOTTOM_PX = 120;
const TYPING_EVERY_MS = 2000;
const TYPING_SHOWN_MS = 6000;

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
const typingEl = $('typing');

await adoptLinkToken();

const state = {
  hasOlder: body.dataset.hasOlder === 'true',
  loadingOlder: false,
  /** Room users by room-user id (former members too, so old messages keep their author). */
  members: new Map(),
  /** Updates that arrived while their message was being edited. */
  deferred: new Map(),
  /** The room's last change (`seq`) applied here: from the render, then from each change frame; null when unknown. */
  seq: /^\d+$/.test(body.dataset.seq ?? '') ? Number(body.dataset.seq) : null,
  /** A resume is on its way; `resumeAgain`: a gap showed meanwhile. */
  resuming: false,
  resumeAgain: false,
  /** The room was deleted or the reader lost access: nothing more is shown or sent. */
  gone: false,
  /** Messages written here and not yet stored (or failed), by client_id. */
  outbox: new Map(),
};

for (const node of messagesEl.querySelectorAll('.msg')) {
  const author = node.querySelector('.msg__author')?.textContent;
  if (author && !state.members.has(node.dataset.roomUserId)) {
    state.members.set(node.dataset.roomUserId, { id: node.dataset.roomUserId, name: author });
  }
}

const nameOf = (roomUserId) => state.members.get(roomUserId)?.name ?? 'Someone';
const renderContext = { me, isAdmin, nameOf };
const myRoomUser = () => [...state.members.values()].find((member) => member.user_id === me);
const nearBottom = () => log.scrollHeight - log.scrollTop - log.clientHeight < NEAR_BOTTOM_PX;
const scrollToBottom = () => {
  log.scrollTop = log.scrollHeight;
  jump.hidden = true;
};
const nodeOf = (messageId) => document.getElementById(`m-${messageId}`);
/** Messages the server stored, without the ones still being sent from here. */
const storedNodes = () => [...messagesEl.children].filter((node) => node.dataset.local !== 'true');
const firstStored = () => storedNodes()[0] ?? null;
const lastStored = () => storedNodes().at(-1) ?? null;

localizeTimes(document);
scrollToBottom();

const token = await requireToken(me);
const api = createApi(token, () => location.reload());
/** The websocket (connected at the end, once everything it feeds is set up). */
let live = null;

/**
 * An action over the socket while it is open; over REST when it is not, or when it dropped before
 * answering (both are safe to repeat: seen marks are idempotent, sends carry their client_id).
 */
async function viaLive(action, fields, overRest) {
  if (live?.isOpen()) {
    try {
      return await live.request(action, fields);
    } catch (error) {
      if (!(error instanceof LiveError) || error.answered) {
        throw error;
      }
    }
  }
  return overRest();
}

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
    const result = await viaLive('seen', { room_id: roomId, message_ids: ids }, () =>
      api.post(`${base}/messages/seen/`, { message_ids: ids }),
    );
    markSeen(result.message_ids);
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

/** Marked seen here or in another tab of the reader's. */
function markSeen(messageIds) {
  for (const id of messageIds) {
    pendingSeen.delete(id);
    const node = nodeOf(id);
    if (node) {
      node.dataset.seen = 'true';
      seenObserver.unobserve(node);
    }
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
  // Its echo, its ack or a reload, whichever comes first, takes the place of the copy shown while sending.
  const sent = message.is_me && message.client_id ? state.outbox.get(message.client_id) : undefined;
  if (sent) {
    state.outbox.delete(message.client_id);
    sent.node.remove();
    scroll = true;
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
    const first = firstStored();
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
  const first = firstStored();
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
  const pick = target?.closest('.react-pick');
  if (pick) {
    // Picking a reaction one gave already takes it back, as clicking it in the reaction bar does.
    const given = [...pick.closest('.msg').querySelectorAll('.msg__reactions .reaction')].find(
      (button) => button.dataset.body === pick.dataset.body,
    );
    pick.closest('details')?.removeAttribute('open');
    void toggleReaction(given ?? pick);
    return;
  }
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

/** A client_id per message written here: the server stores it once however often it is sent. */
const newClientId = () => `p-${crypto.randomUUID()}`;

/** The copy of a message shown while it is being sent, or after it failed (with a retry). */
function renderOutgoing(outgoing) {
  const mine = myRoomUser();
  const draft = {
    id: `local-${outgoing.clientId}`,
    created: outgoing.created,
    modified: outgoing.created,
    room_id: roomId,
    room_user_id: mine?.id ?? '',
    user_id: me,
    body: outgoing.body,
    parent_id: null,
    is_reaction: false,
    client_id: outgoing.clientId,
    is_me: true,
    is_seen_by_me: true,
    images: [],
    reactions: [],
    reaction_counts: [],
  };
  const node = renderMessage(draft, { ...renderContext, nameOf: () => mine?.name ?? 'You' });
  node.dataset.local = 'true';
  node.querySelector('.msg__tools').replaceChildren();
  const status = el('span', 'msg__status');
  node.querySelector('.msg__meta').append(status);
  return node;
}

function showOutgoing(outgoing, failure) {
  const node = outgoing.node;
  node.classList.toggle('msg--pending', failure === undefined);
  node.classList.toggle('msg--failed', failure !== undefined);
  node.setAttribute('aria-busy', String(failure === undefined));
  node.querySelector('.msg__status').textContent = failure === undefined ? 'Sending…' : 'Not sent';
  node.querySelector('.msg__retry')?.remove();
  if (failure !== undefined) {
    const box = el('div', 'msg__confirm msg__retry');
    box.setAttribute('role', 'alert');
    const discard = el('button', 'btn btn--ghost btn--small', 'Discard');
    discard.type = 'button';
    const retry = el('button', 'btn btn--primary btn--small', 'Retry');
    retry.type = 'button';
    retry.setAttribute('aria-label', 'Retry sending');
    box.append(el('span', null, failure), discard, retry);
    node.querySelector('.msg__reactions').before(box);
    retry.addEventListener('click', () => void deliver(outgoing));
    discard.addEventListener('click', () => {
      state.outbox.delete(outgoing.clientId);
      node.remove();
      afterChange();
    });
  }
}

/**
 * Sends a message over the socket (REST while it is down), keyed by its client_id; answers the stored
 * message, or null when it failed (the copy then offers a retry with the same client_id).
 */
async function deliver(outgoing) {
  showOutgoing(outgoing);
  const fields = { body: outgoing.body, client_id: outgoing.clientId };
  try {
    const { message } = await viaLive('send', { ...fields, room_id: roomId }, async () => ({
      message: await api.post(`${base}/messages/`, fields),
    }));
    // The first message in a public room makes the sender a member: a room user not known yet.
    await ensureAuthors([message]);
    upsert(message, { scroll: true });
    return message;
  } catch (error) {
    if (state.outbox.get(outgoing.clientId) === outgoing) {
      // fetch() rejects with a TypeError when there is no network at all.
      showOutgoing(outgoing, error instanceof TypeError ? 'No connection to the server.' : error.message);
    }
    return null;
  }
}

/** Shows the message at once, then sends it. */
function sendText(text) {
  const outgoing = { clientId: newClientId(), body: text, created: new Date().toISOString(), node: null };
  outgoing.node = renderOutgoing(outgoing);
  state.outbox.set(outgoing.clientId, outgoing);
  messagesEl.append(outgoing.node);
  afterChange();
  requestAnimationFrame(scrollToBottom);
  return deliver(outgoing);
}

let sending = false;
async function send() {
  const text = input.value.trim();
  if (sending || state.gone || (!text && attachments.length === 0)) {
    return;
  }
  showComposerError('');
  input.value = '';
  autosize();
  typingSent = 0;
  if (attachments.length === 0) {
    // The composer is free at once: the message shows its own progress.
    void sendText(text);
    input.focus();
    return;
  }
  sending = true;
  $('send').disabled = true;
  try {
    let messageId = null;
    if (text) {
      const message = await sendText(text);
      if (!message) {
        showComposerError('The message was not sent, so its images were not either.');
        return;
      }
      messageId = message.id;
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
    if (messageId) {
      await refreshMessage(messageId);
      if (!text) {
        scrollToBottom();
      }
    }
  } catch (error) {
    showComposerError(error.message);
  } finally {
    sending = false;
    $('send').disabled = false;
    input.focus();
  }
}

// Typing: the others see "… is typing" while the reader writes; at most one notice per TYPING_EVERY_MS.
let typingSent = 0;
input.addEventListener('input', () => {
  const now = Date.now();
  if (input.value.trim() && now - typingSent >= TYPING_EVERY_MS && live?.isOpen() && !state.gone) {
    typingSent = now;
    live.request('typing', { room_id: roomId }).catch(() => undefined);
  }
});

/** Who else is typing, by user id: their name and until when (a notice lasts TYPING_SHOWN_MS). */
const typists = new Map();
let typingTimer = null;

function showTyping() {
  clearTimeout(typingTimer);
  const now = Date.now();
  for (const [userId, typist] of typists) {
    if (typist.until <= now) {
      typists.delete(userId);
    }
  }
  const names = [...typists.values()].map((typist) => typist.name);
  typingEl.textContent =
    names.length === 0
      ? ''
      : names.length === 1
        ? `${names[0]} is typing…`
        : names.length === 2
          ? `${names[0]} and ${names[1]} are typing…`
          : `${names[0]}, ${names[1]} and ${names.length - 2} more are typing…`;
  if (typists.size > 0) {
    const next = Math.min(...[...typists.values()].map((typist) => typist.until));
    typingTimer = setTimeout(showTyping, next - now);
  }
}

/** A typing frame holds everyone typing now; an empty one clears the notice. */
function applyTyping(list) {
  const until = Date.now() + TYPING_SHOWN_MS;
  typists.clear();
  for (const typist of list) {
    if (typist.user_id !== me) {
      typists.set(typist.user_id, { name: typist.name, until });
    }
  }
  showTyping();
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

// Live updates. Change frames of this room carry its `seq`: each is applied once, in order; a gap
// (a frame lost on the way) is filled by a resume, which replays what came after the last one applied.
async function onFrame(frame) {
  if (state.gone || (frame.room_id !== undefined && frame.room_id !== roomId)) {
    return;
  }
  if (frame.typing) {
    applyTyping(frame.typing);
    return;
  }
  if (frame.seen) {
    markSeen(frame.seen.message_ids ?? []);
    return;
  }
  const seq = typeof frame.seq === 'number' ? frame.seq : null;
  if (seq !== null && state.seq !== null) {
    if (seq <= state.seq) {
      return;
    }
    if (seq > state.seq + 1) {
      resume();
      return;
    }
  }
  await applyChange(frame);
  if (seq !== null) {
    state.seq = seq;
  }
}

async function applyChange(frame) {
  if (frame.deleted_room) {
    showGone();
    return;
  }
  if (frame.room) {
    applyRoom(frame.room);
  }
  const messages = frame.messages ?? [];
  for (const roomUser of frame.users ?? []) {
    applyMember(roomUser);
  }
  if ((frame.users ?? []).length > 0) {
    sortMembers();
  }
  await ensureAuthors(messages);
  for (const message of messages) {
    upsert(message);
    if (typists.delete(message.user_id)) {
      showTyping();
    }
  }
  for (const deleted of frame.deleted_messages ?? []) {
    if (deleted.room_id === roomId) {
      removeMessage(deleted.id);
    }
  }
}

function applyRoom(room) {
  $('room-title').textContent = room.title;
  $('room-description').textContent = room.description;
  $('room-description').hidden = !room.description;
  document.title = `${room.title} · df-chat`;
  renderContext.isAdmin = room.creator_id === me || (room.admins ?? []).includes(me);
}

/** The room was deleted, or the reader may no longer see it: say so, and show and send nothing more. */
function showGone() {
  state.gone = true;
  live?.close();
  seenObserver.disconnect();
  pendingSeen.clear();
  state.outbox.clear();
  messagesEl.replaceChildren();
  memberList.replaceChildren();
  typists.clear();
  showTyping();
  emptyEl.hidden = true;
  log.querySelector('.log__top').hidden = true;
  for (const control of [input, $('send'), fileInput, muteButton]) {
    control.disabled = true;
  }
  $('conn').hidden = true;
  $('gone').hidden = false;
}

/** Reads the history again over REST; the next change frame sets where to resume from. */
async function reload() {
  state.seq = null;
  try {
    await catchUp();
  } catch (error) {
    if (error.status === 404) {
      showGone();
    }
  }
}

/** Resumes asked for so far: only the latest one's answer ends `state.resuming`. */
let resumes = 0;

/**
 * Asks for what came after the last change applied: the first frame of every new socket (`opening`),
 * and again on a gap. Without a last change (none known yet, or the server no longer keeps the gap)
 * the history is read over REST instead.
 */
function resume(connection = live, { opening = false, reconnected = true } = {}) {
  if (state.gone || !connection?.isOpen()) {
    return;
  }
  if (state.seq === null) {
    if (reconnected) {
      frames = frames.then(reload).catch(() => undefined);
    }
    return;
  }
  if (state.resuming && !opening) {
    state.resumeAgain = true;
    return;
  }
  const current = ++resumes;
  state.resuming = true;
  state.resumeAgain = false;
  const done = () => {
    if (current === resumes) {
      state.resuming = false;
    }
  };
  connection.request('resume', { rooms: { [roomId]: state.seq } }).then(
    (ack) => {
      // The replayed frames came before the ack and are queued already: this runs after them.
      frames = frames
        .then(async () => {
          done();
          if ((ack.resync ?? []).includes(roomId)) {
            await reload();
          } else if (state.resumeAgain && current === resumes) {
            resume();
          }
        })
        .catch(() => undefined);
    },
    (error) => {
      done();
      // Dropped: the next socket resumes. Refused: the history is read over REST.
      if (error.answered) {
        frames = frames.then(reload).catch(() => undefined);
      }
    },
  );
}

/** Messages newer than the newest shown, page by page (`?after=`), then the latest page again for edits and deletions. */
async function catchUp() {
  let cursor = lastStored()?.dataset.id;
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
  for (const node of storedNodes()) {
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
live = connectLive(token, {
  renewToken: token.renew,
  // Resumes from the change the page was rendered at, and after a drop from the last one applied.
  onOpen: (connection, reconnected) => resume(connection, { opening: true, reconnected }),
  // Frames are applied one after another, in the order they came.
  onFrame: (frame) => {
    frames = frames.then(() => onFrame(frame)).catch(() => undefined);
  },
  // A spent token answers 401 here, and the page reloads into the sign-in form.
  onFailing: () => void api.get('/api/v1/auth/users/me/').catch(() => undefined),
  onState: (connection) => {
    $('conn').hidden = connection !== 'down' || state.gone;
  },
  // Presence is not replayed: who is online now is read again.
  onReconnect: () => {
    frames = frames.then(loadMembers).catch(() => undefined);
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
