import { expect } from 'expect';
import { after, before, describe, it } from 'node:test';
import type { AuthUser } from '../../src/auth/auth-user';
import { startMediumApp, MediumApp } from './medium-app';

/** The messages and rooms services against a real database, without HTTP. */
describe('messages and rooms services', () => {
  let app: MediumApp;
  let owner: AuthUser;
  let member: AuthUser;
  let outsider: AuthUser;

  before(async () => {
    app = await startMediumApp();
    [owner, member, outsider] = [await app.newUser(), await app.newUser(), await app.newUser()];
  });

  after(async () => {
    await app?.close();
  });

  const privateRoom = () => app.rooms.create(owner, { title: 'medium', is_public: false, users: [member.id] });
  const room = (auth: AuthUser, roomId: string) => app.rooms.get(auth, roomId);

  it('should store concurrent posts of members together, refuse an outsider, and keep every counter', async () => {
    const { id: roomId } = await privateRoom();
    app.takeChanges();
    const posts = Array.from({ length: 24 }, (_, i) =>
      app.messages.create([owner, member, outsider][i % 3], roomId, { body: `post ${i}` }).then(
        (message) => ({ ok: true as const, message }),
        (error: unknown) => ({ ok: false as const, error }),
      ),
    );
    const answers = await Promise.all(posts);
    const stored = answers.flatMap((answer) => (answer.ok ? [answer.message] : []));
    expect(stored).toHaveLength(16);
    expect(answers.filter((answer) => !answer.ok)).toHaveLength(8);
    for (const answer of answers.filter((a) => !a.ok)) {
      expect(answer).toMatchObject({ error: { code: 'not_found' } });
    }
    expect(stored.every((message) => message.is_me && message.is_seen_by_me && message.reactions.length === 0)).toBe(
      true,
    );
    const [forOwner, forMember] = [await room(owner, roomId), await room(member, roomId)];
    expect(forOwner.message_total_count).toBe(16);
    expect(forOwner.message_new_count).toBe(8);
    expect(forMember.message_new_count).toBe(8);
    const newest = [...stored].sort((a, b) =>
      a.created === b.created ? (a.id < b.id ? 1 : -1) : a.created < b.created ? 1 : -1,
    )[0];
    expect(forOwner.last_message?.id).toBe(newest.id);
    // Every stored post reached the subscriber as a new message, with the times the database gave it.
    const created = app.takeChanges().filter((change) => change.type === 'message_created');
    expect(created.map((change) => change.type === 'message_created' && change.message.id).sort()).toEqual(
      stored.map((message) => message.id).sort(),
    );
    for (const change of created) {
      expect(change.type === 'message_created' && change.message.created).toBeInstanceOf(Date);
    }
  });

  it('should keep counts, unread counts and the last message right after deletions', async () => {
    const { id: roomId } = await privateRoom();
    const first = await app.messages.create(owner, roomId, { body: 'first' });
    const second = await app.messages.create(owner, roomId, { body: 'second' });
    const third = await app.messages.create(owner, roomId, { body: 'third' });
    await app.messages.create(member, roomId, { body: '+', parent_id: third.id, is_reaction: true });
    await app.messages.seen(member, roomId, { message_ids: [first.id, third.id] });
    expect((await room(member, roomId)).message_new_count).toBe(1);

    await app.messages.delete(owner, roomId, third.id);
    let forMember = await room(member, roomId);
    expect(forMember.message_total_count).toBe(2);
    expect(forMember.message_new_count).toBe(1); // `second`; the seen `third` left with its count
    expect(forMember.last_message?.id).toBe(second.id);

    await app.messages.delete(owner, roomId, second.id);
    forMember = await room(member, roomId);
    expect(forMember.message_total_count).toBe(1);
    expect(forMember.message_new_count).toBe(0);
    expect(forMember.last_message?.id).toBe(first.id);
    expect((await room(owner, roomId)).message_new_count).toBe(0);
  });

  it('should delete a message with its reactions and tell the subscriber of each', async () => {
    const { id: roomId } = await privateRoom();
    const message = await app.messages.create(owner, roomId, { body: 'liked' });
    const like = await app.messages.create(member, roomId, { body: '+', parent_id: message.id, is_reaction: true });
    app.takeChanges();
    await app.messages.delete(owner, roomId, message.id);
    const deleted = app
      .takeChanges()
      .flatMap((change) => (change.type === 'message_deleted' ? [change.message.id] : []));
    expect(deleted.sort()).toEqual([message.id, like.reactions[0]?.id ?? like.id].sort());
    expect((await room(owner, roomId)).message_total_count).toBe(0);
  });

  it('should tell the subscriber of mutes, admins and seen marks without help', async () => {
    const { id: roomId } = await privateRoom();
    const message = await app.messages.create(owner, roomId, { body: 'seen?' });
    app.takeChanges();
    await app.rooms.setMuted(member, roomId, true);
    await app.rooms.setMuted(member, roomId, false);
    await app.rooms.addAdmin(roomId, member.id);
    await app.rooms.removeAdmin(roomId, member.id);
    await app.messages.seen(member, roomId, { message_ids: [message.id] });
    expect(app.takeChanges().map((change) => change.type)).toEqual([
      'mute_changed',
      'mute_changed',
      'admins_changed',
      'admins_changed',
      'message_seen',
    ]);
  });

  it('should answer who can see a room from one rule, for one user or many', async () => {
    const { id: roomId } = await privateRoom();
    const admin = await app.newUser();
    await app.rooms.addAdmin(roomId, admin.id);
    await app.roomUsers.removeMember(roomId, admin.id); // an admin who is no longer a member
    await app.roomUsers.removeMember(roomId, owner.id); // the creator, who left
    const left = await app.newUser();
    await app.roomUsers.addMember(roomId, left.id);
    await app.roomUsers.removeMember(roomId, left.id);
    const access = await app.access.findForUsers(roomId, [owner.id, member.id, admin.id, left.id, outsider.id]);
    expect([...access.keys()].sort()).toEqual([owner.id, member.id, admin.id].sort());
    expect(access.get(owner.id)).toMatchObject({ isAdmin: true, roomUserId: null });
    expect(access.get(admin.id)).toMatchObject({ isAdmin: true, roomUserId: null });
    expect(access.get(member.id)).toMatchObject({ isAdmin: false, roomUserId: expect.any(String) });
    await expect(app.access.requireVisible(left, roomId)).rejects.toMatchObject({ code: 'not_found' });
    await expect(app.access.requireVisible(outsider, '00000000-0000-4000-8000-000000000000')).rejects.toMatchObject({
      code: 'not_found',
    });
    const publicRoom = await app.rooms.create(owner, { title: 'open', is_public: true });
    expect((await app.access.findForUsers(publicRoom.id, [outsider.id])).get(outsider.id)).toMatchObject({
      isAdmin: false,
      roomUserId: null,
    });
    // A member who left stops posting through the batched path and is told the room is not theirs.
    await expect(app.messages.create(left, roomId, { body: 'still here?' })).rejects.toMatchObject({
      code: 'not_found',
    });
  });

  it('should let a public room’s visitor post by joining it muted', async () => {
    const publicRoom = await app.rooms.create(owner, { title: 'lobby', is_public: true });
    const posted = await app.messages.create(outsider, publicRoom.id, { body: 'hello' });
    expect(posted.is_me).toBe(true);
    const view = await app.rooms.get(outsider, publicRoom.id);
    expect(view.users).toContain(outsider.id);
    expect(view.is_muted).toBe(true);
    expect(view.message_new_count).toBe(0);
  });
});
