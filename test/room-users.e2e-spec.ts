import { startIsolatedApp, TestApp } from './helpers/app';
import { api, ApiResponse } from './helpers/api';
import { expectError, expectRoomUserShape } from './helpers/expectations';
import { newMessage, newRoom, newUser, newUsers, TestUser } from './helpers/factories';

const ROOMS = '/api/v1/chat/rooms';
const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';

describe('room users', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startIsolatedApp();
  });

  afterAll(async () => {
    await app?.stop();
  });

  const usersOf = (roomId: string) => `${ROOMS}/${roomId}/users/`;
  const roomUserOf = (roomId: string, user: TestUser | string) =>
    `${usersOf(roomId)}${typeof user === 'string' ? user : user.id}/`;
  const listUsers = async (caller: TestUser, roomId: string) => {
    const response = await api(app, caller.token).get(usersOf(roomId));
    expect(response.status).toBe(200);
    return response.body as any[];
  };
  const byUser = (roomUsers: any[], user: TestUser) => roomUsers.find((roomUser) => roomUser.user_id === user.id);

  describe('listing', () => {
    it('should list every room user, active or not, in the exact shape and resolved for the caller', async () => {
      const owner = await newUser(app, { first_name: 'Olga' });
      const [member, leaver] = await newUsers(app, 2);
      const room = await newRoom(app, owner, { is_public: false, users: [member, leaver] });
      await api(app, leaver.token).delete(roomUserOf(room.id, leaver));

      const forMember = await listUsers(member, room.id);
      expect(forMember).toHaveLength(3);
      forMember.forEach(expectRoomUserShape);
      expect(byUser(forMember, owner)).toMatchObject({
        room_id: room.id,
        name: 'Olga',
        image: null,
        is_me: false,
        is_online: false,
        is_active: true,
      });
      expect(byUser(forMember, member)).toMatchObject({ name: member.username, is_me: true, is_active: true });
      expect(byUser(forMember, leaver)).toMatchObject({ is_active: false });
      expect(new Set(forMember.map((roomUser) => roomUser.id)).size).toBe(3);

      const forOwner = await listUsers(owner, room.id);
      expect(byUser(forOwner, owner).is_me).toBe(true);
      expect(byUser(forOwner, member).is_me).toBe(false);
    });

    it('should give the ids and first names of the active members', async () => {
      const owner = await newUser(app, { first_name: 'Olga' });
      const member = await newUser(app, { first_name: 'Mia' });
      const [nameless, leaver] = await newUsers(app, 2);
      const room = await newRoom(app, owner, { is_public: false, users: [member, nameless, leaver] });
      await api(app, owner.token).delete(roomUserOf(room.id, leaver));
      const response = await api(app, member.token).get(`${usersOf(room.id)}names/`);
      expect(response.status).toBe(200);
      expect(response.body).toHaveLength(3);
      expect(response.body).toEqual(
        expect.arrayContaining([
          { id: owner.id, first_name: 'Olga' },
          { id: member.id, first_name: 'Mia' },
          { id: nameless.id, first_name: '' },
        ]),
      );
      expect((await api(app, member.token).get(`${usersOf(room.id)}names`)).body).toEqual(response.body);
    });

    it("should get one user's room user by user id, and 404 for anyone not in the room", async () => {
      const [owner, member, stranger] = await newUsers(app, 3);
      const room = await newRoom(app, owner, { is_public: false, users: [member] });
      const response = await api(app, member.token).get(roomUserOf(room.id, owner));
      expect(response.status).toBe(200);
      expectRoomUserShape(response.body);
      expect(response.body).toEqual(byUser(await listUsers(member, room.id), owner));
      expectError(await api(app, member.token).get(roomUserOf(room.id, stranger)), 404);
      expectError(await api(app, member.token).get(roomUserOf(room.id, UNKNOWN_ID)), 404);
      expectError(await api(app, member.token).get(roomUserOf(room.id, 'not-an-id')), 404);
    });
  });

  describe('adding', () => {
    it('should let an admin add a member, once', async () => {
      const [owner, friend] = await newUsers(app, 2);
      const room = await newRoom(app, owner, { is_public: false });
      const added = await api(app, owner.token).post(usersOf(room.id), { user_id: friend.id });
      expect(added.status).toBe(201);
      expectRoomUserShape(added.body);
      expect(added.body).toMatchObject({ user_id: friend.id, room_id: room.id, is_me: false, is_active: true });
      const again = await api(app, owner.token).post(usersOf(room.id), { user_id: friend.id });
      expect(again.status).toBe(201);
      expect(again.body.id).toBe(added.body.id);
      expect(await listUsers(friend, room.id)).toHaveLength(2);
      const forFriend = (await api(app, friend.token).get(`${ROOMS}/${room.id}/`)).body;
      expect(forFriend.users).toContain(friend.id);
      expect(forFriend.is_muted).toBe(false);
    });

    it('should let anyone join a public room, and a former member come back as the same room user', async () => {
      const [owner, joiner] = await newUsers(app, 2);
      const room = await newRoom(app, owner, { is_public: true });
      const joined = await api(app, joiner.token).post(usersOf(room.id), { user_id: joiner.id });
      expect(joined.status).toBe(201);
      expect(joined.body).toMatchObject({ user_id: joiner.id, is_me: true, is_active: true });
      await api(app, joiner.token).delete(roomUserOf(room.id, joiner));
      const back = await api(app, joiner.token).post(`${ROOMS}/${room.id}/users`, { user_id: joiner.id });
      expect(back.status).toBe(201);
      expect(back.body).toMatchObject({ id: joined.body.id, is_active: true });
    });

    it.each([
      [{}, 'user_id'],
      [{ user_id: null }, 'user_id'],
      [{ user_id: 42 }, 'user_id'],
      [{ user_id: 'not-an-id' }, 'user_id'],
      [{ user_id: [UNKNOWN_ID] }, 'user_id'],
      [{ user_id: UNKNOWN_ID }, 'user_id'],
      [{ user_id: UNKNOWN_ID, is_active: true }, 'is_active'],
    ])('should refuse %j with 400 naming the field, adding no one', async (body, field) => {
      const owner = await newUser(app);
      const room = await newRoom(app, owner, { is_public: false });
      expectError(await api(app, owner.token).post(usersOf(room.id), body), 400, field);
      expect(await listUsers(owner, room.id)).toHaveLength(1);
    });

    it('should refuse a member adding someone else with 403, adding no one', async () => {
      const [owner, member, friend] = await newUsers(app, 3);
      const room = await newRoom(app, owner, { is_public: true, users: [member] });
      expectError(await api(app, member.token).post(usersOf(room.id), { user_id: friend.id }), 403);
      expectError(await api(app, member.token).get(roomUserOf(room.id, friend)), 404);
    });
  });

  describe('changing and removing', () => {
    it('should let an admin set is_active with PUT and PATCH', async () => {
      const [owner, member] = await newUsers(app, 2);
      const room = await newRoom(app, owner, { is_public: false, users: [member] });
      const off = await api(app, owner.token).patch(roomUserOf(room.id, member), { is_active: false });
      expect(off.status).toBe(200);
      expectRoomUserShape(off.body);
      expect(off.body).toMatchObject({ user_id: member.id, is_active: false });
      expect((await api(app, owner.token).get(`${ROOMS}/${room.id}/`)).body.users).toEqual([owner.id]);
      expectError(await api(app, member.token).get(`${ROOMS}/${room.id}/`), 404);

      const on = await api(app, owner.token).put(roomUserOf(room.id, member), { is_active: true });
      expect(on.status).toBe(200);
      expect(on.body).toMatchObject({ id: off.body.id, is_active: true });
      expect((await api(app, member.token).get(`${ROOMS}/${room.id}/`)).status).toBe(200);
    });

    it.each([
      [{}],
      [{ is_active: null }],
      [{ is_active: 'false' }],
      [{ is_active: 0 }],
      [{ is_active: true, name: 'x' }],
    ])('should refuse %j with 400, changing nothing', async (body) => {
      const [owner, member] = await newUsers(app, 2);
      const room = await newRoom(app, owner, { is_public: false, users: [member] });
      const response = await api(app, owner.token).patch(roomUserOf(room.id, member), body);
      expectError(response, 400);
      expect(response.body.errors[0].field).toEqual(expect.stringMatching(/^(is_active|name)$/));
      expect((await api(app, owner.token).get(roomUserOf(room.id, member))).body.is_active).toBe(true);
    });

    it('should answer 404 for changing or removing someone who is not in the room', async () => {
      const [owner, stranger] = await newUsers(app, 2);
      const room = await newRoom(app, owner, { is_public: false });
      expectError(await api(app, owner.token).patch(roomUserOf(room.id, stranger), { is_active: true }), 404);
      expectError(await api(app, owner.token).delete(roomUserOf(room.id, stranger)), 404);
      expectError(await api(app, owner.token).delete(roomUserOf(room.id, 'not-an-id')), 404);
      expect(await listUsers(owner, room.id)).toHaveLength(1);
    });

    it('should take a private room away from a removed member, whose messages keep their author', async () => {
      const [owner, member] = await newUsers(app, 2);
      const room = await newRoom(app, owner, { is_public: false, users: [member] });
      const message = await newMessage(app, member, room.id, { body: 'before I go' });
      expect((await api(app, owner.token).delete(roomUserOf(room.id, member))).status).toBe(204);

      for (const path of [
        `${ROOMS}/${room.id}/`,
        `${ROOMS}/${room.id}/messages/`,
        `${ROOMS}/${room.id}/messages/${message.id}/`,
        usersOf(room.id),
      ]) {
        expectError(await api(app, member.token).get(path), 404);
      }
      expectError(await api(app, member.token).post(`${ROOMS}/${room.id}/messages/`, { body: 'still here?' }), 404);
      const listed = await api(app, member.token).get(`${ROOMS}/`);
      expect(listed.body.results.map((item: { id: string }) => item.id)).not.toContain(room.id);

      const kept = (await api(app, owner.token).get(`${ROOMS}/${room.id}/messages/${message.id}/`)).body;
      expect(kept).toMatchObject({ user_id: member.id, room_user_id: message.room_user_id, body: 'before I go' });
      expect(byUser(await listUsers(owner, room.id), member)).toMatchObject({
        id: message.room_user_id,
        name: member.username,
        is_active: false,
      });
      expect((await api(app, owner.token).delete(roomUserOf(room.id, member))).status).toBe(204);
    });

    it('should let a member leave a public room, which they still see but are no longer in', async () => {
      const [owner, member] = await newUsers(app, 2);
      const room = await newRoom(app, owner, { is_public: true, users: [member] });
      expect((await api(app, member.token).delete(roomUserOf(room.id, member))).status).toBe(204);
      const seen = await api(app, member.token).get(`${ROOMS}/${room.id}/`);
      expect(seen.status).toBe(200);
      expect(seen.body.users).toEqual([owner.id]);
      expectError(await api(app, member.token).delete(roomUserOf(room.id, owner)), 403);
    });
  });

  describe('concurrent requests', () => {
    it('should answer joining and muting racing the deletion of the room with 2xx or 404, never a server error', async () => {
      const [owner, other] = await newUsers(app, 2);
      for (let round = 0; round < 5; round++) {
        const room = await newRoom(app, owner, { is_public: true });
        const responses: ApiResponse[] = await Promise.all([
          api(app, other.token).post(usersOf(room.id), { user_id: other.id }),
          api(app, owner.token).post(usersOf(room.id), { user_id: other.id }),
          api(app, other.token).post(`${ROOMS}/${room.id}/mute/`),
          api(app, owner.token).post(`${ROOMS}/${room.id}/unmute/`),
          api(app, owner.token).patch(`${ROOMS}/${room.id}/`, { title: 'renamed', users: [other.id] }),
          api(app, owner.token).delete(`${ROOMS}/${room.id}/`),
        ]);
        const unexpected = responses.filter((response) => ![200, 201, 204, 404].includes(response.status));
        expect(unexpected.map((response) => [response.status, response.body])).toEqual([]);
      }
    });
  });
});
