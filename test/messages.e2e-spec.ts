import { startIsolatedApp, TestApp } from './helpers/app';
import { api, ApiResponse } from './helpers/api';
import { expectError, expectMessageShape, pathOf } from './helpers/expectations';
import { newMessage, newMessages, newReaction, newRoom, newUser, newUsers, TestUser } from './helpers/factories';

const ROOMS = '/api/v1/chat/rooms';
const MAX_MESSAGE_LENGTH = 50;
const MAX_SEEN_IDS = 10;
const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';

describe('messages', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startIsolatedApp({
      MAX_MESSAGE_LENGTH: String(MAX_MESSAGE_LENGTH),
      MAX_SEEN_IDS: String(MAX_SEEN_IDS),
    });
  });

  afterAll(async () => {
    await app?.stop();
  });

  const messagesOf = (roomId: string) => `${ROOMS}/${roomId}/messages/`;
  const messageAt = (message: { id: string; room_id: string }) => `${ROOMS}/${message.room_id}/messages/${message.id}/`;
  const ids = (response: ApiResponse) => response.body.results.map((message: { id: string }) => message.id);
  const getMessage = async (user: TestUser, message: { id: string; room_id: string }) => {
    const response = await api(app, user.token).get(messageAt(message));
    expect(response.status).toBe(200);
    return response.body;
  };
  const getRoom = async (user: TestUser, roomId: string) =>
    (await api(app, user.token).get(`${ROOMS}/${roomId}/`)).body;

  describe('shape and listing', () => {
    it('should answer a message in the exact shape, resolved for each caller', async () => {
      const [author, reader] = await newUsers(app, 2);
      const room = await newRoom(app, author, { is_public: false, users: [reader] });
      const response = await api(app, author.token).post(messagesOf(room.id), { body: 'Hello' });
      expect(response.status).toBe(201);
      expectMessageShape(response.body);
      const roomUsers = (await api(app, author.token).get(`${ROOMS}/${room.id}/users/`)).body;
      const authorRoomUser = roomUsers.find((roomUser: { user_id: string }) => roomUser.user_id === author.id);
      expect(response.body).toMatchObject({
        room_id: room.id,
        room_user_id: authorRoomUser.id,
        user_id: author.id,
        body: 'Hello',
        parent_id: null,
        is_reaction: false,
        is_me: true,
        is_seen_by_me: true,
        images: [],
        reactions: [],
      });
      expect(response.body.created).toBe(response.body.modified);

      const forReader = await getMessage(reader, response.body);
      expect(forReader).toEqual({ ...response.body, is_me: false, is_seen_by_me: false });
      await api(app, reader.token).post(`${messagesOf(room.id)}seen/`, { message_ids: [response.body.id] });
      expect((await getMessage(reader, response.body)).is_seen_by_me).toBe(true);
    });

    it('should list non-reaction messages newest first, replies included', async () => {
      const user = await newUser(app);
      const room = await newRoom(app, user, { is_public: false });
      const [first, second] = await newMessages(app, user, room.id, 2);
      const reply = await newMessage(app, user, room.id, { parent_id: first.id });
      const reaction = await newReaction(app, user, second);
      const list = await api(app, user.token).get(messagesOf(room.id));
      expect(list.status).toBe(200);
      expect(list.body).toMatchObject({ count: 3, next: null, previous: null });
      expect(ids(list)).toEqual([reply.id, second.id, first.id]);
      list.body.results.forEach(expectMessageShape);
      expect(list.body.results[1].reactions).toEqual([expect.objectContaining({ id: reaction.id, body: '+' })]);
    });

    it("should list a message's thread without it, newest first", async () => {
      const user = await newUser(app);
      const room = await newRoom(app, user, { is_public: false });
      const [parent, other] = await newMessages(app, user, room.id, 2);
      const r1 = await newMessage(app, user, room.id, { parent_id: parent.id });
      await newMessage(app, user, room.id, { parent_id: other.id });
      const r2 = await newMessage(app, user, room.id, { parent_id: parent.id });
      await newReaction(app, user, parent);
      const r3 = await newMessage(app, user, room.id, { parent_id: parent.id });

      const thread = await api(app, user.token).get(`${messagesOf(room.id)}?parent_id=${parent.id}`);
      expect(thread.status).toBe(200);
      expect(thread.body.count).toBe(3);
      expect(ids(thread)).toEqual([r3.id, r2.id, r1.id]);
      const older = await api(app, user.token).get(
        `${messagesOf(room.id)}?parent_id=${parent.id}&before=${r3.id}&limit=1`,
      );
      expect(ids(older)).toEqual([r2.id]);
      expect(pathOf(older.body.next)).toContain(`parent_id=${parent.id}`);
      expect(ids(await api(app, user.token).get(pathOf(older.body.next)))).toEqual([r1.id]);
    });
  });

  describe('create', () => {
    it('should make a non-member posting in a public room a member with the room muted', async () => {
      const [owner, passer] = await newUsers(app, 2);
      const room = await newRoom(app, owner, { is_public: true });
      await newMessage(app, owner, room.id);
      expect((await getRoom(owner, room.id)).is_muted).toBe(false);

      const posted = await newMessage(app, passer, room.id, { body: 'hi all' });
      const forPasser = await getRoom(passer, room.id);
      expect(forPasser.users).toContain(passer.id);
      expect(forPasser.is_muted).toBe(true);
      expect(forPasser).toMatchObject({ message_total_count: 2, message_new_count: 1 });
      const roomUser = (await api(app, owner.token).get(`${ROOMS}/${room.id}/users/${passer.id}/`)).body;
      expect(roomUser).toMatchObject({ id: posted.room_user_id, is_active: true });

      // Once a member, posting again changes nothing of that.
      await api(app, passer.token).post(`${ROOMS}/${room.id}/unmute/`);
      const again = await newMessage(app, passer, room.id);
      expect(again.room_user_id).toBe(posted.room_user_id);
      expect((await getRoom(passer, room.id)).is_muted).toBe(false);
    });

    it('should keep a room added to unmuted, and let a former member back in with the same room user', async () => {
      const [owner, member] = await newUsers(app, 2);
      const room = await newRoom(app, owner, { is_public: true, users: [member] });
      const first = await newMessage(app, member, room.id);
      expect((await getRoom(member, room.id)).is_muted).toBe(false);
      expect((await api(app, member.token).delete(`${ROOMS}/${room.id}/users/${member.id}/`)).status).toBe(204);
      const back = await newMessage(app, member, room.id);
      expect(back.room_user_id).toBe(first.room_user_id);
      expect((await getRoom(member, room.id)).users).toContain(member.id);
    });

    it.each([
      [{}, 'body'],
      [{ body: '' }, 'body'],
      [{ body: '   ' }, 'body'],
      [{ body: null }, 'body'],
      [{ body: 5 }, 'body'],
      [{ body: ['x'] }, 'body'],
      [{ body: 'x'.repeat(MAX_MESSAGE_LENGTH + 1) }, 'body'],
      [{ body: 'a\u0000b' }, 'body'],
      [{ body: 'x', is_reaction: 'true' }, 'is_reaction'],
      [{ body: 'x', is_reaction: null }, 'is_reaction'],
      [{ body: 'x', parent_id: 5 }, 'parent_id'],
      [{ body: 'x', parent_id: 'not-an-id' }, 'parent_id'],
      [{ body: 'x', parent_id: UNKNOWN_ID }, 'parent_id'],
      [{ body: 'x', room_id: UNKNOWN_ID }, 'room_id'],
      [{ body: 'x', user_id: UNKNOWN_ID }, 'user_id'],
      [{ body: 'x', images: [] }, 'images'],
    ])('should refuse %j with 400 naming the field, posting nothing', async (body, field) => {
      const user = await newUser(app);
      const room = await newRoom(app, user, { is_public: false });
      expectError(await api(app, user.token).post(messagesOf(room.id), body), 400, field);
      expect((await getRoom(user, room.id)).message_total_count).toBe(0);
    });

    it('should accept a body of exactly MAX_MESSAGE_LENGTH characters, counted as characters', async () => {
      const user = await newUser(app);
      const room = await newRoom(app, user, { is_public: false });
      const body = 'é'.repeat(MAX_MESSAGE_LENGTH);
      const response = await api(app, user.token).post(messagesOf(room.id), { body });
      expect(response.status).toBe(201);
      expect(response.body.body).toBe(body);
    });
  });

  describe('replies and reactions', () => {
    let owner: TestUser;
    let friend: TestUser;
    let room: any;
    let elsewhere: any;

    beforeAll(async () => {
      [owner, friend] = await newUsers(app, 2);
      room = await newRoom(app, owner, { is_public: false, users: [friend] });
      elsewhere = await newRoom(app, owner, { is_public: false, users: [friend] });
    });

    it('should refuse a parent from another room with 400 on parent_id', async () => {
      const foreign = await newMessage(app, owner, elsewhere.id);
      for (const body of [
        { body: 'reply', parent_id: foreign.id },
        { body: '+', parent_id: foreign.id, is_reaction: true },
      ]) {
        expectError(await api(app, owner.token).post(messagesOf(room.id), body), 400, 'parent_id');
      }
      expect((await getMessage(owner, foreign)).reactions).toEqual([]);
    });

    it('should need a parent for a reaction', async () => {
      expectError(
        await api(app, owner.token).post(messagesOf(room.id), { body: '+', is_reaction: true }),
        400,
        'parent_id',
      );
    });

    it('should give the same reaction when the same user reacts the same way twice', async () => {
      const message = await newMessage(app, owner, room.id);
      const first = await newReaction(app, friend, message, '👍');
      expectMessageShape(first);
      expect(first).toMatchObject({ is_reaction: true, parent_id: message.id, body: '👍', is_me: true });
      const second = await newReaction(app, friend, message, '👍');
      expect(second.id).toBe(first.id);
      const other = await newReaction(app, friend, message, '+');
      const byOwner = await newReaction(app, owner, message, '👍');
      const reactions = (await getMessage(owner, message)).reactions;
      expect(reactions.map((reaction: { id: string }) => reaction.id)).toEqual([first.id, other.id, byOwner.id]);
      expect(reactions.map((reaction: { is_me: boolean }) => reaction.is_me)).toEqual([false, false, true]);
    });

    it('should count every reaction per body for each caller, most used first, and list the latest 100', async () => {
      const message = await newMessage(app, owner, room.id);
      await newReaction(app, friend, message, '👍');
      await newReaction(app, owner, message, 'wow');
      await newReaction(app, owner, message, '👍');
      expect((await getMessage(owner, message)).reaction_counts).toEqual([
        { body: '👍', count: 2, is_mine: true },
        { body: 'wow', count: 1, is_mine: true },
      ]);
      expect((await getMessage(friend, message)).reaction_counts).toEqual([
        { body: '👍', count: 2, is_mine: true },
        { body: 'wow', count: 1, is_mine: false },
      ]);
      // 6 users × 17 bodies = 102 reactions: the list keeps the latest 100, the counts keep all.
      const crowd = await newUsers(app, 6);
      for (const user of crowd) {
        expect((await api(app, owner.token).post(`${ROOMS}/${room.id}/users/`, { user_id: user.id })).status).toBe(201);
      }
      const crowded = await newMessage(app, owner, room.id);
      const first: string[] = [];
      for (const user of crowd) {
        for (let i = 0; i < 17; i++) {
          const reaction = await newReaction(app, user, crowded, `r${i}`);
          first.push(reaction.id);
        }
      }
      const seen = await getMessage(owner, crowded);
      expectMessageShape(seen);
      expect(seen.reactions).toHaveLength(100);
      expect(seen.reactions.map((reaction: { id: string }) => reaction.id)).toEqual(first.slice(2));
      expect(seen.reaction_counts).toHaveLength(17);
      expect(seen.reaction_counts.reduce((sum: number, count: { count: number }) => sum + count.count, 0)).toBe(102);
      expect(seen.reaction_counts.map((count: { body: string }) => count.body)).toEqual(
        Array.from({ length: 17 }, (_, i) => `r${i}`),
      );
    });

    it('should refuse a user’s 21st different reaction to one message, and take the same one again', async () => {
      const message = await newMessage(app, owner, room.id);
      for (let i = 0; i < 20; i++) {
        await newReaction(app, friend, message, `e${i}`);
      }
      const refused = await api(app, friend.token).post(messagesOf(room.id), {
        body: 'one too many',
        parent_id: message.id,
        is_reaction: true,
      });
      expectError(refused, 400, 'body');
      expect((await newReaction(app, friend, message, 'e3')).body).toBe('e3');
      // Others still may.
      await newReaction(app, owner, message, 'e20');
      const counts = (await getMessage(owner, message)).reaction_counts as { body: string }[];
      expect(counts).toHaveLength(21);
      expect(counts.map((count) => count.body)).not.toContain('one too many');
    });

    it('should refuse to react or reply to a reaction', async () => {
      const message = await newMessage(app, owner, room.id);
      const reaction = await newReaction(app, friend, message);
      for (const body of [
        { body: '+', parent_id: reaction.id, is_reaction: true },
        { body: 'a reply', parent_id: reaction.id },
      ]) {
        expectError(await api(app, owner.token).post(messagesOf(room.id), body), 400, 'parent_id');
      }
    });

    it('should refuse an empty or overlong reaction', async () => {
      const message = await newMessage(app, owner, room.id);
      for (const body of ['', ' ', 'x'.repeat(65)]) {
        expectError(
          await api(app, owner.token).post(messagesOf(room.id), { body, parent_id: message.id, is_reaction: true }),
          400,
          'body',
        );
      }
    });

    it('should let a reply be reacted to, and not count reactions as messages', async () => {
      const message = await newMessage(app, owner, room.id);
      const reply = await newMessage(app, friend, room.id, { parent_id: message.id });
      const before = await getRoom(owner, room.id);
      await newReaction(app, owner, reply, '♥');
      const after = await getRoom(owner, room.id);
      expect(after.message_total_count).toBe(before.message_total_count);
      expect(after.last_message.id).toBe(reply.id);
      expect(after.last_message.reactions).toHaveLength(1);
      expect(ids(await api(app, owner.token).get(`${messagesOf(room.id)}?limit=2`))).toEqual([reply.id, message.id]);
    });
  });

  describe('edit', () => {
    it('should let the author change the body with PATCH and PUT', async () => {
      const [author, admin] = await newUsers(app, 2);
      const room = await newRoom(app, admin, { is_public: false, users: [author] });
      const message = await newMessage(app, author, room.id, { body: 'tpyo' });
      const patched = await api(app, author.token).patch(messageAt(message), { body: 'typo' });
      expect(patched.status).toBe(200);
      expectMessageShape(patched.body);
      expect(patched.body).toMatchObject({ id: message.id, body: 'typo', created: message.created });
      expect(new Date(patched.body.modified).getTime()).toBeGreaterThan(new Date(message.modified).getTime());
      const put = await api(app, author.token).put(messageAt(message), { body: 'fixed' });
      expect(put.status).toBe(200);
      expect((await getMessage(admin, message)).body).toBe('fixed');

      expectError(await api(app, admin.token).patch(messageAt(message), { body: 'mine now' }), 403);
      expect((await getMessage(admin, message)).body).toBe('fixed');
    });

    it.each([
      [{}, 'body'],
      [{ body: '' }, 'body'],
      [{ body: null }, 'body'],
      [{ body: 1 }, 'body'],
      [{ body: 'x'.repeat(MAX_MESSAGE_LENGTH + 1) }, 'body'],
      [{ body: 'ok', parent_id: UNKNOWN_ID }, 'parent_id'],
      [{ body: 'ok', is_reaction: true }, 'is_reaction'],
    ])('should refuse the edit %j with 400 naming the field', async (body, field) => {
      const author = await newUser(app);
      const room = await newRoom(app, author, { is_public: false });
      const message = await newMessage(app, author, room.id, { body: 'original' });
      expectError(await api(app, author.token).patch(messageAt(message), body), 400, field);
      expect((await getMessage(author, message)).body).toBe('original');
    });

    it('should refuse to edit a reaction', async () => {
      const author = await newUser(app);
      const room = await newRoom(app, author, { is_public: false });
      const reaction = await newReaction(app, author, await newMessage(app, author, room.id));
      expectError(await api(app, author.token).patch(messageAt(reaction), { body: '-' }), 400, 'body');
    });

    it('should not find a message through another room', async () => {
      const author = await newUser(app);
      const room = await newRoom(app, author, { is_public: false });
      const other = await newRoom(app, author, { is_public: false });
      const message = await newMessage(app, author, room.id);
      const path = `${messagesOf(other.id)}${message.id}/`;
      expectError(await api(app, author.token).get(path), 404);
      expectError(await api(app, author.token).patch(path, { body: 'moved?' }), 404);
      expectError(await api(app, author.token).delete(path), 404);
      expect((await getMessage(author, message)).body).toBe(message.body);
    });
  });

  describe('delete', () => {
    it('should delete a message with its reactions and keep its replies, unlinked', async () => {
      const [owner, friend] = await newUsers(app, 2);
      const room = await newRoom(app, owner, { is_public: false, users: [friend] });
      const parent = await newMessage(app, friend, room.id);
      const reply = await newMessage(app, owner, room.id, { parent_id: parent.id });
      const reaction = await newReaction(app, owner, parent);
      const replyReaction = await newReaction(app, friend, reply);

      expect((await api(app, friend.token).delete(messageAt(parent))).status).toBe(204);
      expectError(await api(app, owner.token).get(messageAt(parent)), 404);
      expectError(await api(app, owner.token).get(messageAt(reaction)), 404);
      const kept = await getMessage(owner, reply);
      expect(kept).toMatchObject({ parent_id: null, body: reply.body });
      expect(kept.reactions.map((item: { id: string }) => item.id)).toEqual([replyReaction.id]);
      expect(ids(await api(app, owner.token).get(messagesOf(room.id)))).toEqual([reply.id]);
      expectError(await api(app, owner.token).get(`${messagesOf(room.id)}?parent_id=${parent.id}`), 400, 'parent_id');
      expectError(await api(app, friend.token).delete(messageAt(parent)), 404);
    });

    it('should let a room admin delete anyone’s message and a reacting user their reaction', async () => {
      const [owner, friend] = await newUsers(app, 2);
      const room = await newRoom(app, owner, { is_public: false, users: [friend] });
      const message = await newMessage(app, friend, room.id);
      const reaction = await newReaction(app, friend, await newMessage(app, owner, room.id));
      expect((await api(app, friend.token).delete(messageAt(reaction))).status).toBe(204);
      const reactedTo = (await api(app, owner.token).get(messagesOf(room.id))).body.results[0];
      expect(reactedTo.reactions).toEqual([]);
      expect((await getRoom(owner, room.id)).message_total_count).toBe(2);
      expect((await api(app, owner.token).delete(messageAt(message))).status).toBe(204);
      expect((await getRoom(friend, room.id)).message_total_count).toBe(1);
    });
  });

  describe('seen', () => {
    let owner: TestUser;
    let reader: TestUser;
    let room: any;
    let other: any;
    let messages: any[];

    beforeAll(async () => {
      [owner, reader] = await newUsers(app, 2);
      room = await newRoom(app, owner, { is_public: false, users: [reader] });
      other = await newRoom(app, owner, { is_public: false, users: [reader] });
      messages = await newMessages(app, owner, room.id, MAX_SEEN_IDS + 1);
    });

    const seen = (roomId: string, body: unknown) => api(app, reader.token).post(`${messagesOf(roomId)}seen/`, body);

    it('should mark only ids of messages of this room, once each', async () => {
      const foreign = await newMessage(app, owner, other.id);
      const response = await seen(room.id, {
        message_ids: [messages[0].id, foreign.id, UNKNOWN_ID, messages[0].id, messages[1].id],
      });
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ message_ids: [messages[0].id, messages[1].id] });
      expect((await getMessage(reader, foreign)).is_seen_by_me).toBe(false);
      expect((await getRoom(reader, other.id)).message_new_count).toBe(1);
      expect((await getRoom(reader, room.id)).message_new_count).toBe(MAX_SEEN_IDS - 1);
      expect((await seen(room.id, { message_ids: [] })).body).toEqual({ message_ids: [] });
    });

    it(`should take at most MAX_SEEN_IDS ids per call`, async () => {
      const all = messages.map((message) => message.id);
      expectError(await seen(room.id, { message_ids: all }), 400, 'message_ids');
      expect((await seen(room.id, { message_ids: all.slice(0, MAX_SEEN_IDS) })).status).toBe(200);
      expect((await getRoom(reader, room.id)).message_new_count).toBe(1);
    });

    it.each([
      [{}],
      [{ message_ids: null }],
      [{ message_ids: 'x' }],
      [{ message_ids: ['not-an-id'] }],
      [{ message_ids: [5] }],
      [{ message_ids: [{}] }],
      [{ message_ids: [], extra: true }],
    ])('should refuse %j with 400', async (body) => {
      const codes = expectError(await seen(room.id, body), 400);
      expect(codes.length).toBeGreaterThan(0);
      const fields = (await seen(room.id, body)).body.errors.map((error: { field?: string }) => error.field);
      expect(fields.some((field: string) => field === 'message_ids' || field === 'extra')).toBe(true);
    });
  });

  describe('pagination', () => {
    let user: TestUser;
    let room: any;
    let newestFirst: string[];

    beforeAll(async () => {
      user = await newUser(app);
      room = await newRoom(app, user, { is_public: false });
      await newMessages(app, user, room.id, 120);
      const all = await api(app, user.token).get(`${messagesOf(room.id)}?limit=200`);
      newestFirst = ids(all);
    });

    const get = (query: string) => api(app, user.token).get(`${messagesOf(room.id)}?${query}`);

    it('should page by 50 by default, at most 200', async () => {
      expect(newestFirst).toHaveLength(120);
      expect(new Set(newestFirst).size).toBe(120);
      const first = await api(app, user.token).get(messagesOf(room.id));
      expect(first.body).toMatchObject({ count: 120, previous: null });
      expect(ids(first)).toEqual(newestFirst.slice(0, 50));
      expect(pathOf(first.body.next)).toBe(`${messagesOf(room.id)}?limit=50&offset=50`);
      const clamped = await get('limit=1000&offset=1');
      expect(ids(clamped)).toEqual(newestFirst.slice(1));
      expect(pathOf(clamped.body.previous)).toBe(`${messagesOf(room.id)}?limit=200`);
      const last = await get('limit=50&offset=100');
      expect(ids(last)).toEqual(newestFirst.slice(100));
      expect(last.body.next).toBeNull();
    });

    it('should walk back with before and forth with after, without gaps or duplicates', async () => {
      const back: string[] = [newestFirst[0]];
      let page = await get(`before=${newestFirst[0]}&limit=25`);
      while (true) {
        expect(page.status).toBe(200);
        expect(page.body.count).toBe(120);
        back.push(...ids(page));
        if (!page.body.next) {
          break;
        }
        page = await api(app, user.token).get(pathOf(page.body.next));
      }
      expect(back).toEqual(newestFirst);

      const oldest = newestFirst[newestFirst.length - 1];
      const forth: string[] = [oldest];
      page = await get(`after=${oldest}&limit=25`);
      while (true) {
        expect(page.status).toBe(200);
        // Each page is newest first: the 25 just newer than the cursor.
        forth.push(...ids(page).reverse());
        if (!page.body.previous) {
          break;
        }
        page = await api(app, user.token).get(pathOf(page.body.previous));
      }
      expect(forth).toEqual([...newestFirst].reverse());
    });

    it('should link a cursor page to its neighbours both ways', async () => {
      const middle = await get(`before=${newestFirst[9]}&limit=10`);
      expect(ids(middle)).toEqual(newestFirst.slice(10, 20));
      const newer = await api(app, user.token).get(pathOf(middle.body.previous));
      expect(ids(newer)).toEqual(newestFirst.slice(0, 10));
      expect(newer.body.previous).toBeNull();
      const older = await api(app, user.token).get(pathOf(middle.body.next));
      expect(ids(older)).toEqual(newestFirst.slice(20, 30));
      const end = await get(`before=${newestFirst[115]}&limit=10`);
      expect(ids(end)).toEqual(newestFirst.slice(116));
      expect(end.body.next).toBeNull();
    });

    it.each([
      ['limit=abc', 'limit'],
      ['limit=-1', 'limit'],
      ['limit=0', 'limit'],
      ['offset=1.5', 'offset'],
      ['offset=-3', 'offset'],
      [`before=${UNKNOWN_ID}`, 'before'],
      ['before=not-an-id', 'before'],
      [`after=${UNKNOWN_ID}`, 'after'],
      ['parent_id=not-an-id', 'parent_id'],
      [`parent_id=${UNKNOWN_ID}`, 'parent_id'],
      ['since=yesterday', 'since'],
    ])('should refuse ?%s with 400 naming %s', async (query, field) => {
      expectError(await get(query), 400, field);
    });

    it('should refuse both cursors, a cursor with an offset, and a cursor from another room', async () => {
      const [a, b] = newestFirst;
      expectError(await get(`before=${a}&after=${b}`), 400, 'before');
      expectError(await get(`before=${a}&offset=10`), 400, 'offset');
      const other = await newRoom(app, user, { is_public: false });
      const foreign = await newMessage(app, user, other.id);
      expectError(await get(`before=${foreign.id}`), 400, 'before');
      expectError(await get(`after=${foreign.id}`), 400, 'after');
      expectError(await get(`parent_id=${foreign.id}`), 400, 'parent_id');
    });
  });

  describe('concurrent requests', () => {
    const statuses = (responses: ApiResponse[]) => [...new Set(responses.map((response) => response.status))].sort();

    it('should answer marking seen while the message is deleted with no server error, and keep counts right', async () => {
      const [owner, reader] = await newUsers(app, 2);
      const room = await newRoom(app, owner, { is_public: false, users: [reader] });
      for (let round = 0; round < 5; round++) {
        const message = await newMessage(app, owner, room.id);
        const responses = await Promise.all([
          ...Array.from({ length: 6 }, () =>
            api(app, reader.token).post(`${messagesOf(room.id)}seen/`, { message_ids: [message.id] }),
          ),
          api(app, owner.token).delete(messageAt(message)),
        ]);
        expect(statuses(responses).every((status) => status === 200 || status === 204)).toBe(true);
      }
      expect(await getRoom(reader, room.id)).toMatchObject({ message_total_count: 0, message_new_count: 0 });
    });

    it('should answer replies racing the deletion of their parent with 201 or 400, never a server error', async () => {
      const owner = await newUser(app);
      const room = await newRoom(app, owner, { is_public: false });
      for (let round = 0; round < 5; round++) {
        const parent = await newMessage(app, owner, room.id);
        const responses = await Promise.all([
          ...Array.from({ length: 4 }, () =>
            api(app, owner.token).post(messagesOf(room.id), { body: 're', parent_id: parent.id }),
          ),
          ...Array.from({ length: 2 }, () =>
            api(app, owner.token).post(messagesOf(room.id), { body: '+', parent_id: parent.id, is_reaction: true }),
          ),
          api(app, owner.token).delete(messageAt(parent)),
        ]);
        expect(statuses(responses).filter((status) => ![201, 204, 400].includes(status))).toEqual([]);
      }
      const listed = await api(app, owner.token).get(`${messagesOf(room.id)}?limit=200`);
      expect(listed.body.results.every((message: { parent_id: string | null }) => message.parent_id === null)).toBe(
        true,
      );
      expect((await getRoom(owner, room.id)).message_total_count).toBe(listed.body.count);
    });

    it('should answer messages racing the deletion of their room with 201 or 404, never a server error', async () => {
      const [owner, passer] = await newUsers(app, 2);
      for (let round = 0; round < 5; round++) {
        const room = await newRoom(app, owner, { is_public: true });
        const responses = await Promise.all([
          ...Array.from({ length: 3 }, () => api(app, passer.token).post(messagesOf(room.id), { body: 'hi' })),
          ...Array.from({ length: 3 }, () => api(app, owner.token).post(messagesOf(room.id), { body: 'hi' })),
          api(app, owner.token).delete(`${ROOMS}/${room.id}/`),
        ]);
        expect(statuses(responses).filter((status) => ![201, 204, 404].includes(status))).toEqual([]);
      }
    });

    it('should store a burst of posts to one room each once, with the counts, seen marks and newest message right', async () => {
      const members = await newUsers(app, 4);
      const [outsider, passer] = await newUsers(app, 2);
      const room = await newRoom(app, members[0], { is_public: false, users: members.slice(1) });
      const open = await newRoom(app, members[0], { is_public: true });
      const perMember = 10;
      const [posted, refused, joined] = await Promise.all([
        Promise.all(
          members.flatMap((member) =>
            Array.from({ length: perMember }, (_, index) =>
              api(app, member.token).post(messagesOf(room.id), { body: `${member.id} ${index}` }),
            ),
          ),
        ),
        Promise.all(
          Array.from({ length: 3 }, () => api(app, outsider.token).post(messagesOf(room.id), { body: 'no' })),
        ),
        Promise.all([
          api(app, passer.token).post(messagesOf(open.id), { body: 'joining' }),
          api(app, members[0].token).post(messagesOf(open.id), { body: 'owner' }),
        ]),
      ]);
      expect(statuses(posted)).toEqual([201]);
      expect(statuses(refused)).toEqual([404]);
      expect(statuses(joined)).toEqual([201]);
      const total = members.length * perMember;
      expect(new Set(posted.map((response) => response.body.id)).size).toBe(total);
      expect(posted.every((response) => response.body.is_me && response.body.is_seen_by_me)).toBe(true);

      const listed = await api(app, members[1].token).get(`${messagesOf(room.id)}?limit=100`);
      expect(listed.body.count).toBe(total);
      expect(listed.body.results.map((message: { body: string }) => message.body).sort()).toEqual(
        posted.map((response) => response.body.body).sort(),
      );
      const [newest] = listed.body.results;
      for (const member of members) {
        const seen = await getRoom(member, room.id);
        expect(seen).toMatchObject({ message_total_count: total, message_new_count: total - perMember });
        expect(seen.last_message.id).toBe(newest.id);
      }
      expect((await getRoom(members[0], open.id)).message_total_count).toBe(2);
    });

    it('should create one reaction and one membership however many times they are sent at once', async () => {
      const [owner, fan] = await newUsers(app, 2);
      const room = await newRoom(app, owner, { is_public: true });
      const message = await newMessage(app, owner, room.id);
      const reactions = await Promise.all(
        Array.from({ length: 8 }, () =>
          api(app, fan.token).post(messagesOf(room.id), { body: '+', parent_id: message.id, is_reaction: true }),
        ),
      );
      expect(statuses(reactions)).toEqual([201]);
      expect(new Set(reactions.map((response) => response.body.id)).size).toBe(1);
      expect((await getMessage(owner, message)).reactions).toHaveLength(1);
      expect((await api(app, owner.token).get(`${ROOMS}/${room.id}/users/`)).body).toHaveLength(2);
    });
  });
});
