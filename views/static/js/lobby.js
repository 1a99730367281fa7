// `/chat/` signed in: the rooms the user can see, kept up to date over the websocket; create a room.
import { connectLive } from './live.js';
import {
  el,
  formatShort,
  icon,
  localizeTimes,
  renderRoomItem,
  setMentionCount,
  setNewCount,
  setRoomPreview,
} from './render.js';
import { createApi, endSession, requireToken } from './session.js';

const PAGE = 100;
const me = document.body.dataset.me;
const list = document.getElementById('room-list');
const empty = document.getElementById('rooms-empty');
const more = document.getElementById('more-rooms');
const conn = document.getElementById('conn');

localizeTimes(list);

const token = await requireToken(me);
const api = createApi(token, () => location.reload());

const itemOf = (roomId) => list.querySelector(`.room-item[data-room-id="${CSS.escape(roomId)}"]`);

let refreshTimer = null;
/** Reloads the first page of rooms (counts can change in ways no frame tells, e.g. read elsewhere). */
function refreshSoon(delay = 250) {
  clearTimeout(refreshTimer);
  refreshTimer = setTimeout(() => void refresh(), delay);
}

async function refresh() {
  const shown = Math.max(list.children.length, PAGE);
  const page = await api.get(`/api/v1/chat/rooms/?limit=${Math.min(shown, 200)}`).catch(() => null);
  if (!page) {
    return;
  }
  list.replaceChildren(...page.results.map(renderRoomItem));
  empty.hidden = page.results.length > 0;
  more.hidden = page.next === null;
}

async function showMore() {
  more.disabled = true;
  try {
    const page = await api.get(`/api/v1/chat/rooms/?limit=${PAGE}&offset=${list.children.length}`);
    const known = new Set([...list.children].map((item) => item.dataset.roomId));
    list.append(...page.results.filter((room) => !known.has(room.id)).map(renderRoomItem));
    more.hidden = page.next === null;
  } finally {
    more.disabled = false;
  }
}
more.addEventListener('click', () => void showMore());

function onMessage(message) {
  if (message.is_reaction) {
    return;
  }
  const item = itemOf(message.room_id);
  if (!item) {
    refreshSoon();
    return;
  }
  const lastCreated = item.dataset.lastCreated;
  if (!lastCreated || message.created > lastCreated) {
    const unread = !message.is_me && !message.is_seen_by_me;
    const mentioned = unread && (message.mentions ?? []).includes(me);
    setRoomPreview(
      item,
      message,
      Number(item.dataset.newCount) + (unread ? 1 : 0),
      Number(item.dataset.mentionCount) + (mentioned ? 1 : 0),
    );
    list.prepend(item);
  } else if (message.id === item.dataset.lastId) {
    setRoomPreview(item, message, Number(item.dataset.newCount));
  }
}

function onFrame(frame) {
  const item = frame.room_id === undefined ? null : itemOf(frame.room_id);
  if (frame.seen) {
    // Read in another tab or device of the reader's.
    if (item) {
      setNewCount(item, frame.seen.message_new_count);
      setMentionCount(item, frame.seen.mention_new_count ?? Number(item.dataset.mentionCount));
    }
    return;
  }
  if (frame.deleted_room) {
    item?.remove();
    empty.hidden = list.children.length > 0;
    return;
  }
  if (frame.room && item) {
    // Its title, visibility or admins changed: the list's own copy, with the reader's counts, is read again.
    refreshSoon();
  }
  for (const message of frame.messages ?? []) {
    onMessage(message);
  }
  for (const roomUser of frame.users ?? []) {
    // Joining or leaving a room changes which rooms are listed.
    if (roomUser.user_id === me && Boolean(itemOf(roomUser.room_id)) !== roomUser.is_active) {
      refreshSoon();
    }
  }
  for (const deleted of frame.deleted_messages ?? []) {
    if (itemOf(deleted.room_id)?.dataset.lastId === deleted.id) {
      refreshSoon();
    }
  }
}

connectLive(token, {
  renewToken: token.renew,
  // The server holds a new socket's frames briefly for a resume; the lobby sends none, so it says so at once.
  onOpen: (connection) => void connection.request('ping').catch(() => undefined),
  onFrame,
  // A spent token answers 401 here, and the page reloads into the sign-in form.
  onFailing: () => void api.get('/api/v1/auth/users/me/').catch(() => undefined),
  onState: (state) => {
    conn.hidden = state !== 'down';
  },
  onReconnect: () => refreshSoon(0),
});

// Coming back to the list (the back button, another tab) after reading rooms: counts changed.
window.addEventListener('pageshow', (event) => {
  if (event.persisted) {
    refreshSoon(0);
  }
});
document.addEventListener('visibilitychange', () => {
  if (document.visibilityState === 'visible') {
    refreshSoon();
  }
});

document.getElementById('sign-out').addEventListener('click', async () => {
  await endSession();
  location.assign('/chat/');
});

// Searching messages: results link into their room at the message.
const SEARCH_PAGE = 20;
const searchForm = document.getElementById('search');
const searchInput = document.getElementById('search-q');
const searchPanel = document.getElementById('search-panel');
const searchList = document.getElementById('search-list');
const searchStatus = document.getElementById('search-status');
const searchMore = document.getElementById('search-more');
const roomTitles = new Map();
let search = null;

/** The body as text nodes, with the matched words (offsets from the API) in `<mark>`s. */
function highlighted(body, matches) {
  const node = el('span', 'search-hit__body');
  let at = 0;
  for (const [start, end] of matches) {
    node.append(body.slice(at, start), el('mark', '', body.slice(start, end)));
    at = end;
  }
  node.append(body.slice(at));
  return node;
}

async function titlesOf(roomIds) {
  for (const item of list.children) {
    roomTitles.set(item.dataset.roomId, item.querySelector('.room-item__name')?.textContent ?? '');
  }
  const missing = [...new Set(roomIds)].filter((id) => !roomTitles.has(id));
  await Promise.all(
    missing.map(async (id) => {
      const room = await api.get(`/api/v1/chat/rooms/${encodeURIComponent(id)}/`).catch(() => null);
      roomTitles.set(id, room?.title ?? '');
    }),
  );
}

function renderHit(message) {
  const item = el('li', 'search-hit');
  const link = el('a', 'search-hit__link');
  link.href = `/chat/${encodeURIComponent(message.room_id)}/#m-${encodeURIComponent(message.id)}`;
  const meta = el('span', 'search-hit__meta');
  meta.append(el('span', 'search-hit__room', roomTitles.get(message.room_id) || 'A room'));
  const time = el('time', 'search-hit__time', formatShort(message.created));
  time.dateTime = message.created;
  meta.append(time);
  link.append(meta, highlighted(message.body, message.matches));
  item.append(link);
  return item;
}

async function showResults(more) {
  const offset = more ? searchList.children.length : 0;
  searchMore.disabled = true;
  try {
    const query = new URLSearchParams({ q: search, limit: String(SEARCH_PAGE), offset: String(offset) });
    const page = await api.get(`/api/v1/chat/search/?${query.toString()}`);
    await titlesOf(page.results.map((message) => message.room_id));
    const items = page.results.map(renderHit);
    if (more) {
      searchList.append(...items);
    } else {
      searchList.replaceChildren(...items);
    }
    searchStatus.textContent =
      page.count === 0 ? 'No messages found.' : `${page.count} ${page.count === 1 ? 'message' : 'messages'} found.`;
    searchMore.hidden = page.next === null;
  } catch (error) {
    searchStatus.textContent = error.messageFor ? error.messageFor('q') : error.message;
    searchMore.hidden = true;
  } finally {
    searchMore.disabled = false;
  }
}

searchForm.addEventListener('submit', (event) => {
  event.preventDefault();
  search = searchInput.value.trim();
  if (!search) {
    searchInput.focus();
    return;
  }
  searchPanel.hidden = false;
  searchStatus.textContent = 'Searching…';
  void showResults(false);
});
searchMore.addEventListener('click', () => void showResults(true));
document.getElementById('search-close').addEventListener('click', () => {
  searchPanel.hidden = true;
  searchList.replaceChildren();
  searchInput.focus();
});

// Creating a room.
const form = document.getElementById('new-room');
const toggle = document.getElementById('new-room-toggle');
const usernameInput = document.getElementById('member-username');
const chips = document.getElementById('member-chips');
const formError = form.querySelector('.form__error');
const members = new Map();

function showForm(open) {
  form.hidden = !open;
  toggle.setAttribute('aria-expanded', String(open));
  if (open) {
    form.elements.title.focus();
  }
}
toggle.addEventListener('click', () => showForm(form.hidden));
document.getElementById('new-room-cancel').addEventListener('click', () => showForm(false));

function setError(message) {
  formError.textContent = message;
  formError.hidden = !message;
}

async function addMember() {
  const username = usernameInput.value.trim();
  if (!username) {
    return;
  }
  setError('');
  try {
    const user = await api.get(`/chat/users/${encodeURIComponent(username)}`);
    if (user.id === me) {
      setError('You are a member of your rooms anyway.');
      return;
    }
    if (!members.has(user.id)) {
      members.set(user.id, user);
      const chip = el('li', 'chip');
      chip.dataset.userId = user.id;
      chip.append(el('span', 'chip__label', user.first_name ? `${user.first_name} (${user.username})` : user.username));
      const remove = el('button', 'chip__remove');
      remove.type = 'button';
      remove.title = `Remove ${user.username}`;
      remove.append(icon('x'));
      remove.addEventListener('click', () => {
        members.delete(user.id);
        chip.remove();
      });
      chip.append(remove);
      chips.append(chip);
    }
    usernameInput.value = '';
  } catch (error) {
    setError(error.status === 404 ? `There is no user named “${username}”.` : error.message);
  }
}
document.getElementById('member-add').addEventListener('click', () => void addMember());
usernameInput.addEventListener('keydown', (event) => {
  if (event.key === 'Enter') {
    event.preventDefault();
    void addMember();
  }
});

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  const title = form.elements.title.value.trim();
  if (!title) {
    setError('Give the room a title.');
    form.elements.title.focus();
    return;
  }
  const submit = form.querySelector('button[type=submit]');
  submit.disabled = true;
  setError('');
  try {
    const room = await api.post('/api/v1/chat/rooms/', {
      title,
      description: form.elements.description.value.trim(),
      is_public: form.elements.visibility.value === 'public',
      users: [...members.keys()],
    });
    location.assign(`/chat/${encodeURIComponent(room.id)}/`);
  } catch (error) {
    setError(error.message);
    submit.disabled = false;
  }
});
