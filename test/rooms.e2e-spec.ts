import { startIsolatedApp, TestApp } from './helpers/app';
import { api, ApiResponse } from './helpers/api';
import { expectError, expectMessageShape, expectRoomShape, pathOf } from './helpers/expectations';
import { newMessage, newMessages, newReaction, newRoom, newUser, newUsers, TestUser } from './helpers/factories';

const ROOMS = '/api/v1/chat/rooms';

describe('rooms', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startIsolatedApp();
  });

  afterAll(async () => {
    await app?.stop();
  });

  /** A private room, so that it shows only in its members' lists. */
  const privateRoom = (owner: TestUser, users: TestUser[] = []) => newRoom(app, owner, { is_public: false, users });

  const getRoom = async (user: TestUser, roomId: string) => {
    const response = await api(app, user.token).get(`${ROOMS}/${roomId}/`);
    expect(response.status).toBe(200);
    return response.body;
  };

  // First, while the only rooms in the database are this test's.
  describe('pagination', () => {
    let pager: TestUser;
    let allIds: string[];

    beforeAll(async () => {
      pager = await newUser(app);
      for (let i = 0; i < 52; i++) {
        await privateRoom(pager);
      }
      const all = await api(app, pager.token).get(`${ROOMS}/?limit=200`);
      allIds = all.body.results.map((room: { id: string }) => room.id);
    });

    it('should page by 50 by default with count, next and previous', async () => {
      const first = await api(app, pager.token).get(`${ROOMS}/`);
      expect(first.status).toBe(200);
      expect(Object.keys(first.body).sort()).toEqual(['count', 'next', 'previous', 'results']);
      expect(first.body.count).toBe(52);
      expect(first.body.results).toHaveLength(50);
      expect(first.body.previous).toBeNull();
      expect(pathOf(first.body.next)).toBe(`${ROOMS}/?limit=50&offset=50`);
      first.body.results.forEach(expectRoomShape);

      const second = await api(app, pager.token).get(pathOf(first.body.next));
      expect(second.body.results.map((room: { id: string }) => room.id)).toEqual(allIds.slice(50));
      expect(second.body.next).toBeNull();
      expect(pathOf(second.body.previous)).toBe(`${ROOMS}/?limit=50`);
    });

    it('should walk every room once following next links', async () => {
      const seen: string[] = [];
      let path: string | null = `${ROOMS}/?limit=7`;
      while (path) {
        const page: ApiResponse = await api(app, pager.token).get(path);
        expect(page.status).toBe(200);
        expect(page.body.count).toBe(52);
        seen.push(...page.body.results.map((room: { id: string }) => room.id));
        path = page.body.next ? pathOf(page.body.next) : null;
      }
      expect(seen).toEqual(allIds);
    });

    it('should give previous links back to the first page', async () => {
      const page = await api(app, pager.token).get(`${ROOMS}/?limit=5&offset=7`);
      expect(page.body.results.map((room: { id: string }) => room.id)).toEqual(allIds.slice(7, 12));
      expect(pathOf(page.body.previous)).toBe(`${ROOMS}/?limit=5&offset=2`);
      expect(pathOf(page.body.next)).toBe(`${ROOMS}/?limit=5&offset=12`);
      const back = await api(app, pager.token).get(`${ROOMS}/?limit=5&offset=3`);
      expect(pathOf(back.body.previous)).toBe(`${ROOMS}/?limit=5`);
    });

    it('should lower a limit above 200 to 200', async () => {
      const page = await api(app, pager.token).get(`${ROOMS}/?limit=500&offset=1`);
      expect(page.status).toBe(200);
      expect(page.body.results).toHaveLength(51);
      expect(pathOf(page.body.previous)).toBe(`${ROOMS}/?limit=200`);
    });

    it('should answer an offset past the end with an empty page', async () => {
      const page = await api(app, pager.token).get(`${ROOMS}/?offset=1000`);
      expect(page.status).toBe(200);
      expect(page.body).toMatchObject({ count: 52, next: null, results: [] });
    });

    it.each([
      ['limit=abc', 'limit'],
      ['limit=-1', 'limit'],
      ['limit=0', 'limit'],
      ['limit=1.5', 'limit'],
      ['limit=', 'limit'],
      ['limit=1&limit=2', 'limit'],
      ['offset=1.5', 'offset'],
      ['offset=-1', 'offset'],
      ['offset=abc', 'offset'],
      ['offset=99999999999999', 'offset'],
      ['ordering=title', 'ordering'],
      ['before=x', 'before'],
    ])('should refuse ?%s with 400 naming %s', async (query, field) => {
      expectError(await api(app, pager.token).get(`${ROOMS}/?${query}`), 400, field);
    });

    it('should answer with and without a trailing slash', async () => {
      expect((await api(app, pager.token).get(`${ROOMS}?limit=2`)).body.results).toHaveLength(2);
      const room = allIds[0];
      expect((await api(app, pager.token).get(`${ROOMS}/${room}`)).status).toBe(200);
      expect((await api(app, pager.token).post(`${ROOMS}/${room}/mute`)).status).toBe(201);
    });
  });

  describe('create', () => {
    let refused: TestUser;

    beforeAll(async () => {
      refused = await newUser(app);
    });

    it('should make the caller creator, admin and member, in the exact shape', async () => {
      const [owner, friend] = await newUsers(app, 2);
      const response = await api(app, owner.token).post(`${ROOMS}/`, {
        title: '  Lunch  ',
        description: 'Where to eat',
        users: [friend.id, friend.id],
      });
      expect(response.status).toBe(201);
      expectRoomShape(response.body);
      expect(response.body).toMatchObject({
        creator_id: owner.id,
        title: 'Lunch',
        description: 'Where to eat',
        is_public: true,
        image: null,
        admins: [owner.id],
        message_total_count: 0,
        message_new_count: 0,
        last_message: null,
        is_muted: false,
      });
      expect([...response.body.users].sort()).toEqual([owner.id, friend.id].sort());
      expect(new Date(response.body.created).getTime()).toBeGreaterThan(Date.now() - 60_000);
      expect(await getRoom(friend, response.body.id)).toEqual(response.body);
    });

    it('should create a private room with only a title', async () => {
      const owner = await newUser(app);
      const response = await api(app, owner.token).post(`${ROOMS}/`, { title: 'Secret', is_public: false });
      expect(response.status).toBe(201);
      expect(response.body).toMatchObject({ is_public: false, description: '', users: [owner.id] });
    });

    it.each([
      [{}, 'title', 'required'],
      [{ title: null }, 'title', undefined],
      [{ title: '' }, 'title', undefined],
      [{ title: '   ' }, 'title', undefined],
      [{ title: 'x'.repeat(256) }, 'title', undefined],
      [{ title: 5 }, 'title', undefined],
      [{ title: ['x'] }, 'title', undefined],
      [{ title: 'a\u0000b' }, 'title', undefined],
      [{ title: 'ok', description: 7 }, 'description', undefined],
      [{ title: 'ok', description: 'a\u0000b' }, 'description', undefined],
      [{ title: 'ok', is_public: 'yes' }, 'is_public', undefined],
      [{ title: 'ok', is_public: 1 }, 'is_public', undefined],
      [{ title: 'ok', is_public: null }, 'is_public', undefined],
      [{ title: 'ok', users: 'abc' }, 'users', undefined],
      [{ title: 'ok', users: [1] }, 'users', undefined],
      [{ title: 'ok', users: ['not-an-id'] }, 'users', undefined],
      [{ title: 'ok', users: null }, 'users', undefined],
      [{ title: 'ok', users: ['00000000-0000-4000-8000-000000000000'] }, 'users', undefined],
      [{ title: 'ok', creator_id: '00000000-0000-4000-8000-000000000000' }, 'creator_id', 'unknown_field'],
      [{ title: 'ok', admins: [] }, 'admins', 'unknown_field'],
    ])('should refuse %j with 400 naming the field', async (body, field, code) => {
      const codes = expectError(await api(app, refused.token).post(`${ROOMS}/`, body), 400, field);
      if (code) {
        expect(codes).toContain(code);
      }
      expect((await api(app, refused.token).get(`${ROOMS}/?limit=200`)).body.results).toEqual(
        expect.not.arrayContaining([expect.objectContaining({ creator_id: refused.id })]),
      );
    });
  });

  describe('counts and last message', () => {
    it('should count messages per caller: own ones seen, seen lowers the new count, reactions do not count', async () => {
      const [owner, friend] = await newUsers(app, 2);
      const room = await privateRoom(owner, [friend]);
      const [m1, m2, m3] = await newMessages(app, owner, room.id, 3);
      const counts = async (user: TestUser) => {
        const { message_total_count, message_new_count } = await getRoom(user, room.id);
        return [message_total_count, message_new_count];
      };
      expect(await counts(owner)).toEqual([3, 0]);
      expect(await counts(friend)).toEqual([3, 3]);

      const seen = await api(app, friend.token).post(`${ROOMS}/${room.id}/messages/seen/`, {
        message_ids: [m1.id, m2.id],
      });
      expect(seen.status).toBe(200);
      expect(seen.body).toEqual({ message_ids: [m1.id, m2.id] });
      expect(await counts(friend)).toEqual([3, 1]);
      await api(app, friend.token).post(`${ROOMS}/${room.id}/messages/seen/`, { message_ids: [m2.id, m1.id] });
      expect(await counts(friend)).toEqual([3, 1]);

      const reaction = await newReaction(app, friend, m3);
      await newReaction(app, owner, m3);
      await api(app, owner.token).post(`${ROOMS}/${room.id}/messages/seen/`, { message_ids: [reaction.id] });
      expect(await counts(owner)).toEqual([3, 0]);
      expect(await counts(friend)).toEqual([3, 1]);

      const m4 = await newMessage(app, friend, room.id);
      expect(await counts(friend)).toEqual([4, 1]);
      expect(await counts(owner)).toEqual([4, 1]);

      // m1 was seen by the friend, m3 was not.
      expect((await api(app, owner.token).delete(`${ROOMS}/${room.id}/messages/${m1.id}/`)).status).toBe(204);
      expect(await counts(friend)).toEqual([3, 1]);
      expect((await api(app, owner.token).delete(`${ROOMS}/${room.id}/messages/${m3.id}/`)).status).toBe(204);
      expect(await counts(friend)).toEqual([2, 0]);
      expect(await counts(owner)).toEqual([2, 1]);
      expect((await api(app, friend.token).delete(`${ROOMS}/${room.id}/messages/${m4.id}/`)).status).toBe(204);
      expect(await counts(owner)).toEqual([1, 0]);

      const listed = await api(app, friend.token).get(`${ROOMS}/?limit=200`);
      expect(listed.body.results.find((item: { id: string }) => item.id === room.id)).toMatchObject({
        message_total_count: 1,
        message_new_count: 0,
      });
    });

    it('should count the messages of a newcomer as new and of a member who left as before', async () => {
      const [owner, late] = await newUsers(app, 2);
      const room = await privateRoom(owner);
      await newMessages(app, owner, room.id, 2);
      await api(app, owner.token).post(`${ROOMS}/${room.id}/users/`, { user_id: late.id });
      expect(await getRoom(late, room.id)).toMatchObject({ message_total_count: 2, message_new_count: 2 });
    });

    it('should show the newest non-reaction message as last_message, resolved for the caller', async () => {
      const [owner, friend] = await newUsers(app, 2);
      const room = await privateRoom(owner, [friend]);
      expect((await getRoom(owner, room.id)).last_message).toBeNull();
      const first = await newMessage(app, owner, room.id, { body: 'first' });
      const second = await newMessage(app, owner, room.id, { body: 'second' });
      await newReaction(app, friend, second, '👍');
      await newReaction(app, friend, first, '+');

      const forOwner = await getRoom(owner, room.id);
      const forFriend = await getRoom(friend, room.id);
      expectRoomShape(forOwner);
      expect(forOwner.last_message).toMatchObject({ id: second.id, body: 'second', is_me: true, is_seen_by_me: true });
      expect(forOwner.last_message.reactions).toEqual([
        expect.objectContaining({ body: '👍', user_id: friend.id, is_me: false }),
      ]);
      expect(forFriend.last_message).toMatchObject({ id: second.id, is_me: false, is_seen_by_me: false });
      expect(forFriend.last_message.reactions[0]).toMatchObject({ is_me: true });
      expectMessageShape(forFriend.last_message);

      const reply = await newMessage(app, friend, room.id, { body: 'reply', parent_id: first.id });
      expect((await getRoom(owner, room.id)).last_message).toMatchObject({ id: reply.id, parent_id: first.id });
      await api(app, friend.token).delete(`${ROOMS}/${room.id}/messages/${reply.id}/`);
      expect((await getRoom(owner, room.id)).last_message.id).toBe(second.id);
      await api(app, owner.token).delete(`${ROOMS}/${room.id}/messages/${second.id}/`);
      expect((await getRoom(owner, room.id)).last_message.id).toBe(first.id);
      await api(app, owner.token).delete(`${ROOMS}/${room.id}/messages/${first.id}/`);
      expect(await getRoom(owner, room.id)).toMatchObject({ last_message: null, message_total_count: 0 });
    });

    it('should list rooms by newest activity first', async () => {
      const user = await newUser(app);
      const r1 = await privateRoom(user);
      const r2 = await privateRoom(user);
      const r3 = await privateRoom(user);
      const order = async () => {
        const page = await api(app, user.token).get(`${ROOMS}/`);
        const mine = new Set([r1.id, r2.id, r3.id]);
        return page.body.results.map((room: { id: string }) => room.id).filter((id: string) => mine.has(id));
      };
      expect(await order()).toEqual([r3.id, r2.id, r1.id]);
      await newMessage(app, user, r1.id);
      expect(await order()).toEqual([r1.id, r3.id, r2.id]);
      await newMessage(app, user, r2.id);
      expect(await order()).toEqual([r2.id, r1.id, r3.id]);
    });
  });

  describe('update and delete', () => {
    it('should change the fields given with PATCH and need a title with PUT', async () => {
      const owner = await newUser(app);
      const room = await newRoom(app, owner, { title: 'Before', description: 'old' });
      const patched = await api(app, owner.token).patch(`${ROOMS}/${room.id}/`, {
        description: 'new',
        is_public: false,
      });
      expect(patched.status).toBe(200);
      expectRoomShape(patched.body);
      expect(patched.body).toMatchObject({ title: 'Before', description: 'new', is_public: false });
      expect(new Date(patched.body.modified).getTime()).toBeGreaterThan(new Date(room.modified).getTime());
      expect(patched.body.created).toBe(room.created);

      expectError(await api(app, owner.token).put(`${ROOMS}/${room.id}/`, { description: 'x' }), 400, 'title');
      expectError(await api(app, owner.token).put(`${ROOMS}/${room.id}/`, { title: null }), 400, 'title');
      const put = await api(app, owner.token).put(`${ROOMS}/${room.id}/`, { title: 'After', is_public: true });
      expect(put.status).toBe(200);
      expect(put.body).toMatchObject({ title: 'After', is_public: true });
      expect(await getRoom(owner, room.id)).toMatchObject({ title: 'After', description: 'new', is_public: true });
    });

    it('should replace the members with users, keeping the admins', async () => {
      const [owner, a, b, c] = await newUsers(app, 4);
      const room = await privateRoom(owner, [a, b]);
      const response = await api(app, owner.token).patch(`${ROOMS}/${room.id}/`, { users: [c.id, b.id] });
      expect(response.status).toBe(200);
      expect(response.body.users.sort()).toEqual([owner.id, b.id, c.id].sort());
      expect(response.body.admins).toEqual([owner.id]);
      expect((await api(app, a.token).get(`${ROOMS}/${room.id}/`)).status).toBe(404);
      const roomUsers = (await api(app, owner.token).get(`${ROOMS}/${room.id}/users/`)).body;
      expect(roomUsers.find((roomUser: { user_id: string }) => roomUser.user_id === a.id).is_active).toBe(false);

      const emptied = await api(app, owner.token).patch(`${ROOMS}/${room.id}/`, { users: [] });
      expect(emptied.body.users).toEqual([owner.id]);
    });

    it('should change nothing when an update is refused', async () => {
      const [owner, friend] = await newUsers(app, 2);
      const room = await privateRoom(owner, [friend]);
      for (const body of [
        { title: 'New', users: ['00000000-0000-4000-8000-000000000000'] },
        { title: 'New', users: null },
        { title: 'New', is_public: 'no' },
        { title: 'New', description: null },
        { title: 'New', unknown: 1 },
      ]) {
        expect((await api(app, owner.token).patch(`${ROOMS}/${room.id}/`, body)).status).toBe(400);
      }
      expect(await getRoom(owner, room.id)).toMatchObject({ title: room.title, users: room.users, is_public: false });
    });

    it('should delete a room with its messages', async () => {
      const [owner, friend] = await newUsers(app, 2);
      const room = await privateRoom(owner, [friend]);
      const message = await newMessage(app, friend, room.id);
      await newReaction(app, owner, message);
      expect((await api(app, owner.token).delete(`${ROOMS}/${room.id}/`)).status).toBe(204);
      for (const path of [
        `${room.id}/`,
        `${room.id}/messages/`,
        `${room.id}/messages/${message.id}/`,
        `${room.id}/users/`,
      ]) {
        expectError(await api(app, owner.token).get(`${ROOMS}/${path}`), 404);
      }
      const list = await api(app, friend.token).get(`${ROOMS}/`);
      expect(list.body.results.map((item: { id: string }) => item.id)).not.toContain(room.id);
      expectError(await api(app, owner.token).delete(`${ROOMS}/${room.id}/`), 404);
    });
  });

  describe('mute', () => {
    it('should mute and unmute the room for the caller only, idempotently', async () => {
      const [owner, friend] = await newUsers(app, 2);
      const room = await privateRoom(owner, [friend]);
      const muted = await api(app, friend.token).post(`${ROOMS}/${room.id}/mute/`);
      expect(muted.status).toBe(201);
      expectRoomShape(muted.body);
      expect(muted.body.is_muted).toBe(true);
      expect((await api(app, friend.token).post(`${ROOMS}/${room.id}/mute/`)).body.is_muted).toBe(true);
      expect((await getRoom(owner, room.id)).is_muted).toBe(false);
      expect((await getRoom(friend, room.id)).is_muted).toBe(true);
      const unmuted = await api(app, friend.token).post(`${ROOMS}/${room.id}/unmute/`);
      expect(unmuted.status).toBe(201);
      expect(unmuted.body.is_muted).toBe(false);
      expect((await api(app, friend.token).post(`${ROOMS}/${room.id}/unmute/`)).body.is_muted).toBe(false);
    });
  });

  describe('admins', () => {
    it('should let an admin make a member an admin, who may then change the room, and take them off again', async () => {
      const [owner, friend, stranger] = await newUsers(app, 3);
      const room = await privateRoom(owner, [friend]);
      expect((await api(app, friend.token).patch(`${ROOMS}/${room.id}/`, { title: 'mine' })).status).toBe(403);
      const made = await api(app, owner.token).post(`${ROOMS}/${room.id}/admins/`, { user_id: friend.id });
      expect(made.status).toBe(201);
      expectRoomShape(made.body);
      expect([...made.body.admins].sort()).toEqual([owner.id, friend.id].sort());
      // Again: nothing changes.
      expect(
        (await api(app, owner.token).post(`${ROOMS}/${room.id}/admins`, { user_id: friend.id })).body.admins,
      ).toHaveLength(2);
      expect((await api(app, friend.token).patch(`${ROOMS}/${room.id}/`, { title: 'ours' })).status).toBe(200);
      // A new admin may take another admin off, but never the creator.
      const creator = await api(app, friend.token).delete(`${ROOMS}/${room.id}/admins/${owner.id}/`);
      expect(expectError(creator, 400, 'user_id')).toEqual(['invalid']);
      expect((await api(app, owner.token).delete(`${ROOMS}/${room.id}/admins/${friend.id}`)).status).toBe(204);
      expect((await getRoom(owner, room.id)).admins).toEqual([owner.id]);
      expect((await getRoom(owner, room.id)).users).toContain(friend.id);
      expect((await api(app, friend.token).patch(`${ROOMS}/${room.id}/`, { title: 'again' })).status).toBe(403);
      const gone = await api(app, owner.token).delete(`${ROOMS}/${room.id}/admins/${friend.id}/`);
      expect(expectError(gone, 404)).toEqual(['not_found']);
      expect((await api(app, owner.token).delete(`${ROOMS}/${room.id}/admins/not-an-id/`)).status).toBe(404);
      // Only members can become admins.
      const outsider = await api(app, owner.token).post(`${ROOMS}/${room.id}/admins/`, { user_id: stranger.id });
      expect(expectError(outsider, 400, 'user_id')).toEqual(['invalid']);
      expect((await getRoom(owner, room.id)).admins).toEqual([owner.id]);
    });

    it('should refuse a body without a valid user_id', async () => {
      const owner = await newUser(app);
      const room = await privateRoom(owner);
      expectError(await api(app, owner.token).post(`${ROOMS}/${room.id}/admins/`, {}), 400, 'user_id');
      expectError(await api(app, owner.token).post(`${ROOMS}/${room.id}/admins/`, { user_id: 'x' }), 400, 'user_id');
    });
  });

  describe('defaults', () => {
    it('should accept a message body of 10,000 characters and refuse one longer', async () => {
      const owner = await newUser(app);
      const room = await privateRoom(owner);
      const path = `${ROOMS}/${room.id}/messages/`;
      expect((await api(app, owner.token).post(path, { body: 'x'.repeat(10_000) })).status).toBe(201);
      expectError(await api(app, owner.token).post(path, { body: 'x'.repeat(10_001) }), 400, 'body');
    });

    it('should not tell the number of queries unless configured to', async () => {
      const owner = await newUser(app);
      const response = await api(app, owner.token).get(`${ROOMS}/`);
      expect(response.headers.get('x-db-queries')).toBeNull();
    });
  });
});
