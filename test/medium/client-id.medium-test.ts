import { expect } from 'expect';
import { after, before, describe, it } from 'node:test';
import type { AuthUser } from '../../src/auth/auth-user';
import type { ChatChange } from '../../src/realtime/chat-changes';
import { startMediumApp, MediumApp } from './medium-app';

const createdIds = (changes: ChatChange[]) =>
  changes.flatMap((change) => (change.type === 'message_created' ? [change.message.id] : [])).sort();

/** The batched post path (one INSERT per batch of a room) with repeated client_ids inside a batch. */
describe('client_id on the batched post path', () => {
  let app: MediumApp;
  let owner: AuthUser;
  let member: AuthUser;

  before(async () => {
    app = await startMediumApp();
    [owner, member] = [await app.newUser(), await app.newUser()];
  });

  after(async () => {
    await app?.close();
  });

  const newRoom = async () =>
    (await app.rooms.create(owner, { title: 'batch', is_public: false, users: [member.id] })).id;
  const count = async (roomId: string) => (await app.rooms.get(owner, roomId)).message_total_count;

  it('should store a client_id repeated within one batch once, beside the batch’s other posts', async () => {
    const roomId = await newRoom();
    // The first post runs alone; everything sent while it runs is stored together by the next statement.
    const sends = [
      app.messages.send(owner, roomId, { body: 'opens the batch' }),
      ...Array.from({ length: 5 }, (_, i) => app.messages.send(owner, roomId, { body: `dup ${i}`, client_id: 'k1' })),
      ...Array.from({ length: 4 }, (_, i) => app.messages.send(member, roomId, { body: `plain ${i}` })),
      app.messages.send(member, roomId, { body: 'own key', client_id: 'k1' }),
    ];
    const answers = await Promise.all(sends);
    await settle();

    const keyed = answers.slice(1, 6);
    expect(keyed.filter((answer) => answer.isNew)).toHaveLength(1);
    expect(new Set(keyed.map((answer) => answer.message.id)).size).toBe(1);
    expect(keyed.every((answer) => answer.message.body === 'dup 0' && answer.message.client_id === 'k1')).toBe(true);
    expect(answers.slice(6).every((answer) => answer.isNew)).toBe(true);
    expect(answers[10].message.client_id).toBe('k1');
    expect(answers[10].message.id).not.toBe(keyed[0].message.id);

    const stored = new Set(answers.map((answer) => answer.message.id));
    expect(stored.size).toBe(7);
    expect(await count(roomId)).toBe(7);
    expect(createdIds(app.takeChanges())).toEqual([...stored].sort());
  });

  it('should store the rest of a batch when some of its client_ids were stored before, and announce only new rows', async () => {
    const roomId = await newRoom();
    const earlier = await app.messages.send(owner, roomId, { body: 'earlier', client_id: 'k2' });
    await settle();
    app.takeChanges();

    const answers = await Promise.all([
      app.messages.send(member, roomId, { body: 'opens the batch' }),
      app.messages.send(owner, roomId, { body: 'new a', client_id: 'k3' }),
      app.messages.send(owner, roomId, { body: 'repeat', client_id: 'k2' }),
      app.messages.send(member, roomId, { body: 'new b' }),
      app.messages.send(owner, roomId, { body: 'repeat again', client_id: 'k2' }),
      app.messages.send(owner, roomId, { body: 'new c', client_id: 'k4' }),
    ]);
    await settle();

    expect(answers.map((answer) => answer.isNew)).toEqual([true, true, false, true, false, true]);
    expect(answers[2].message).toMatchObject({ id: earlier.message.id, body: 'earlier' });
    expect(answers[4].message.id).toBe(earlier.message.id);
    expect(await count(roomId)).toBe(5);
    const fresh = answers.filter((answer) => answer.isNew).map((answer) => answer.message.id);
    expect(createdIds(app.takeChanges())).toEqual(fresh.sort());
  });
});

/** Lets the publisher pick up what the last commits handed over. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 50));
