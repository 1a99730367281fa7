import { startIsolatedApp, TestApp } from './helpers/app';
import { api } from './helpers/api';
import { expectError, expectMessageShape, expectRoomUserShape, ISO_UTC } from './helpers/expectations';
import { newMessage, newRoom, newUser, newUsers, TestUser } from './helpers/factories';
import { connect, hasMessage, hasUser } from './helpers/ws';

const ROOMS = '/api/v1/chat/rooms';
const ME = '/api/v1/chat/me/';

describe('mentions and your chat status', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startIsolatedApp({ PRESENCE_GRACE_MS: '0' });
  });

  afterAll(async () => {
    await app?.stop();
  });

  const roomOf = async (user: TestUser, roomId: string) => {
    const response = await api(app, user.token).get(`${ROOMS}/${roomId}/`);
    expect(response.status).toBe(200);
    return response.body;
  };
  const me = async (user: TestUser) => {
    const response = await api(app, user.token).get(ME);
    expect(response.status).toBe(200);
    return response.body;
  };
  const markSeen = async (user: TestUser, roomId: string, ids: string[]) => {
    const response = await api(app, user.token).post(`${ROOMS}/${roomId}/messages/seen/`, { message_ids: ids });
    expect(response.status).toBe(200);
  };
  const sorted = (users: TestUser[]) => users.map((user) => user.id).sort();

  describe('mentions', () => {
    it('should mention members by @username, not outsiders nor unknown names, everywhere a message shows', async () => {
      const owner = await newUser(app);
      const [member, outsider] = await newUsers(app, 2);
      const room = await newRoom(app, owner, { is_public: false, users: [member] });
      const socket = await connect(app, member.token);
      try {
        const body = `hi @${member.username.toUpperCase()}, @${outsider.username} and @nobody_here; mail ${owner.username}@example.com`;
        const posted = await newMessage(app, owner, room.id, { body });
        expectMessageShape(posted);
        expect(posted.mentions).toEqual([member.id]);

        const pushed = await socket.waitFor(hasMessage(posted.id));
        expect(pushed.messages[0].mentions).toEqual([member.id]);
        const read = await api(app, member.token).get(`${ROOMS}/${room.id}/messages/${posted.id}/`);
        expect(read.body.mentions).toEqual([member.id]);
        const page = await api(app, member.token).get(`${ROOMS}/${room.id}/messages/`);
        expect(page.body.results[0].mentions).toEqual([member.id]);
        expect((await roomOf(member, room.id)).last_message.mentions).toEqual([member.id]);
      } finally {
        await socket.close();
      }
    });

    it('should resolve mentions in replies, in each message of a batch, and again when a body is edited', async () => {
      const owner = await newUser(app);
      const [first, second, leaver] = await newUsers(app, 3);
      const room = await newRoom(app, owner, { is_public: false, users: [first, second, leaver] });
      await api(app, leaver.token).delete(`${ROOMS}/${room.id}/users/${leaver.id}/`);

      const posts = await Promise.all(
        [first, second, leaver].map((user) =>
          newMessage(app, owner, room.id, { body: `ping @${user.username}. @${owner.username}` }),
        ),
      );
      expect(posts.map((post) => post.mentions)).toEqual([
        sorted([first, owner]),
        sorted([second, owner]),
        [owner.id], // a former member is no member
      ]);
      const reply = await newMessage(app, first, room.id, { body: `@${second.username}!`, parent_id: posts[0].id });
      expect(reply.mentions).toEqual([second.id]);

      const edited = await api(app, owner.token).patch(`${ROOMS}/${room.id}/messages/${posts[0].id}/`, {
        body: `now @${second.username} only`,
      });
      expect(edited.status).toBe(200);
      expect(edited.body.mentions).toEqual([second.id]);
      expect((await roomOf(first, room.id)).mention_new_count).toBe(0);
      expect((await roomOf(second, room.id)).mention_new_count).toBe(3);
    });

    it('should count unseen mentions per room, take them off as they are seen or deleted, and count them when muted', async () => {
      const owner = await newUser(app);
      const member = await newUser(app);
      const room = await newRoom(app, owner, { is_public: true, users: [member] });
      const muted = await api(app, member.token).post(`${ROOMS}/${room.id}/mute/`);
      expect(muted.status).toBe(201);

      const plain = await newMessage(app, owner, room.id, { body: 'no mention' });
      const mentions = [];
      for (let i = 0; i < 3; i++) {
        mentions.push(await newMessage(app, owner, room.id, { body: `@${member.username} number ${i}` }));
      }
      const listed = await api(app, member.token).get(`${ROOMS}/`);
      expect(listed.body.results.find((r: any) => r.id === room.id)).toMatchObject({
        is_muted: true,
        message_new_count: 4,
        mention_new_count: 3,
      });
      // The author's own mention of themselves is seen already.
      await newMessage(app, owner, room.id, { body: `note to @${owner.username}` });
      expect((await roomOf(owner, room.id)).mention_new_count).toBe(0);

      // The reader's other devices learn what is left, mentions included.
      const device = await connect(app, member.token);
      try {
        await markSeen(member, room.id, [plain.id, mentions[0].id]);
        const told = await device.waitFor((frame) => frame.seen !== undefined);
        expect(told.seen).toEqual({
          message_ids: [plain.id, mentions[0].id],
          message_new_count: 3,
          mention_new_count: 2,
        });
      } finally {
        await device.close();
      }
      await markSeen(member, room.id, [mentions[0].id]);
      expect((await roomOf(member, room.id)).mention_new_count).toBe(2);
      const deleted = await api(app, owner.token).delete(`${ROOMS}/${room.id}/messages/${mentions[1].id}/`);
      expect(deleted.status).toBe(204);
      expect((await roomOf(member, room.id)).mention_new_count).toBe(1);
      // Deleting a message already seen takes nothing more off.
      await api(app, owner.token).delete(`${ROOMS}/${room.id}/messages/${mentions[0].id}/`);
      expect((await roomOf(member, room.id)).mention_new_count).toBe(1);
      // A reaction mentions nobody and counts for nothing.
      const reaction = await newMessage(app, owner, room.id, {
        body: `@${member.username}`,
        parent_id: mentions[2].id,
        is_reaction: true,
      });
      expect(reaction.mentions).toEqual([]);
      await markSeen(member, room.id, [mentions[2].id]);
      expect(await roomOf(member, room.id)).toMatchObject({ mention_new_count: 0, message_new_count: 1 });
    });
  });

  describe('your chat status', () => {
    it('should total what is unseen over your rooms, muted rooms left out of the messages but not the mentions', async () => {
      const user = await newUser(app);
      const other = await newUser(app);
      const loud = await newRoom(app, other, { is_public: false, users: [user] });
      const quiet = await newRoom(app, other, { is_public: false, users: [user] });
      const left = await newRoom(app, other, { is_public: false, users: [user] });
      await api(app, user.token).post(`${ROOMS}/${quiet.id}/mute/`);
      expect(await me(user)).toEqual({
        user_id: user.id,
        is_online: false,
        last_seen: null,
        status: '',
        rooms_with_new_messages: 0,
        message_new_count: 0,
        mention_new_count: 0,
      });

      await newMessage(app, other, loud.id, { body: 'one' });
      await newMessage(app, other, loud.id, { body: `two @${user.username}` });
      await newMessage(app, other, quiet.id, { body: `@${user.username} in a muted room` });
      await newMessage(app, other, quiet.id, { body: 'more' });
      await newMessage(app, other, left.id, { body: `@${user.username} where you no longer are` });
      await api(app, user.token).delete(`${ROOMS}/${left.id}/users/${user.id}/`);
      await newMessage(app, user, loud.id, { body: 'my own counts as seen' });

      expect(await me(user)).toMatchObject({
        rooms_with_new_messages: 1,
        message_new_count: 2,
        mention_new_count: 2,
      });
      const seen = await api(app, user.token).get(`${ROOMS}/${loud.id}/messages/`);
      await markSeen(
        user,
        loud.id,
        seen.body.results.map((message: any) => message.id),
      );
      expect(await me(user)).toMatchObject({ rooms_with_new_messages: 0, message_new_count: 0, mention_new_count: 1 });
    });

    it('should set, show and clear a status, refusing one over 100 characters or of the wrong type', async () => {
      const user = await newUser(app);
      const friend = await newUser(app);
      const room = await newRoom(app, friend, { is_public: false, users: [user] });
      const socket = await connect(app, friend.token);
      try {
        const from = socket.frames.length;
        const set = await api(app, user.token).patch(ME, { status: '  in a meeting ' });
        expect(set.status).toBe(200);
        expect(set.body).toMatchObject({ user_id: user.id, status: 'in a meeting' });
        expect((await me(user)).status).toBe('in a meeting');
        const pushed = await socket.waitFor(
          hasUser(user.id, (roomUser) => roomUser.status === 'in a meeting'),
          5000,
          from,
        );
        expect(pushed.room_id).toBe(room.id);

        const listed = await api(app, friend.token).get(`${ROOMS}/${room.id}/users/${user.id}/`);
        expectRoomUserShape(listed.body);
        expect(listed.body).toMatchObject({ status: 'in a meeting', last_seen: null });

        expectError(await api(app, user.token).patch(ME, { status: 'x'.repeat(101) }), 400, 'status');
        expectError(await api(app, user.token).patch(ME, { status: 7 }), 400, 'status');
        expectError(await api(app, user.token).patch(ME, { status: null }), 400, 'status');
        expect((await api(app, user.token).patch(ME, { status: 'x'.repeat(100) })).body.status).toHaveLength(100);
        expect((await api(app, user.token).patch(ME, {})).body.status).toHaveLength(100);

        const cleared = await api(app, user.token).patch(ME, { status: '' });
        expect(cleared.body.status).toBe('');
        expect((await api(app, friend.token).get(`${ROOMS}/${room.id}/users/${user.id}/`)).body.status).toBe('');
      } finally {
        await socket.close();
      }
    });

    it('should say when a user was last seen once they go offline', async () => {
      const user = await newUser(app);
      const friend = await newUser(app);
      const room = await newRoom(app, friend, { is_public: false, users: [user] });
      const socket = await connect(app, user.token);
      const watcher = await connect(app, friend.token);
      try {
        await watcher.waitFor(hasUser(user.id, (roomUser) => roomUser.is_online));
        expect(await me(user)).toMatchObject({ is_online: true, last_seen: null });
        const before = Date.now();
        await socket.close();
        const offline = await watcher.waitFor(hasUser(user.id, (roomUser) => !roomUser.is_online));
        const pushed = offline.users.find((roomUser) => roomUser.user_id === user.id);
        expect(pushed.last_seen).toMatch(ISO_UTC);

        const mine = await me(user);
        expect(mine).toMatchObject({ is_online: false, last_seen: expect.stringMatching(ISO_UTC) });
        expect(Date.parse(mine.last_seen)).toBeGreaterThanOrEqual(before - 1000);
        const listed = await api(app, friend.token).get(`${ROOMS}/${room.id}/users/`);
        expect(listed.body.find((roomUser: any) => roomUser.user_id === user.id).last_seen).toBe(mine.last_seen);
      } finally {
        await socket.close();
        await watcher.close();
      }
    });
  });
});
