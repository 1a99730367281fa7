// `/chat/` signed in: the rooms the user can see, kept up to date over the websocket; create a room.
import { connectLive } from './live.js';
import { el, icon, localizeTimes, renderRoomItem, setRoomPreview } from './render.js';
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
    setRoomPreview(item, message, Number(item.dataset.newCount) + (unread ? 1 : 0));
    list.prepend(item);
  } else if (message.id === item.dataset.lastId) {
    setRoomPreview(item, message, Number(item.dataset.newCount));
  }
}

function onFrame(frame) {
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
