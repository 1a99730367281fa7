import { startIsolatedApp, TestApp } from './helpers/app';
import { api } from './helpers/api';
import { redisServerUrl } from './helpers/database';
import { newMessage, newRoom, newUser, TestUser } from './helpers/factories';
import { connect, hasMessage, ServerFrame, sleep, TestSocket } from './helpers/ws';

const changesOf = (frames: ServerFrame[], roomId: string) =>
  frames.filter((frame) => frame.room_id === roomId && frame.seq !== undefined);

/** Applies change frames as a client would: the room's messages by id, in order. */
function applyFrames(frames: ServerFrame[], into = new Map<string, any>()): Map<string, any> {
  for (const frame of frames) {
    for (const message of frame.messages ?? []) {
      into.set(message.id, message);
    }
    for (const deleted of frame.deleted_messages ?? []) {
      into.delete(deleted.id);
    }
  }
  return into;
}

describe('realtime v2: room sequence numbers, resume, actions', () => {
  let app: TestApp;
  const sockets: TestSocket[] = [];
  const open = async (user: TestUser) => {
    const socket = await connect(app, user.token);
    sockets.push(socket);
    return socket;
  };
  const changes = (user: TestUser, roomId: string, query: string) =>
    api(app, user.token).get(`/api/v1/chat/rooms/${roomId}/changes/?${query}`);
  /** What a member away misses: `count` messages, then the sixth edited and the seventh deleted. */
  const changeWhileAway = async (author: TestUser, roomId: string, count: number) => {
    const missed = [];
    for (let i = 0; i < count; i++) {
      missed.push(await newMessage(app, author, roomId, { body: `missed ${i}` }));
    }
    await api(app, author.token).patch(`/api/v1/chat/rooms/${roomId}/messages/${missed[5].id}/`, { body: 'edited' });
    await api(app, author.token).delete(`/api/v1/chat/rooms/${roomId}/messages/${missed[6].id}/`);
  };
  /** The bodies a client holds after applying frames, by id, against the room's history as it reads it now. */
  const expectHistory = async (known: Map<string, any>, reader: TestUser, roomId: string) => {
    const history = await api(app, reader.token).get(`/api/v1/chat/rooms/${roomId}/messages/?limit=200`);
    expect(new Map([...known].map(([id, message]) => [id, message.body]))).toEqual(
      new Map(history.body.results.map((message: any) => [message.id, message.body])),
    );
  };

  beforeAll(async () => {
    app = await startIsolatedApp({
      WS_RESUME_GRACE_MS: '300',
      RATE_MESSAGES_PER_SECOND: '1000',
      RATE_MESSAGES_BURST: '2000',
    });
  });

  afterEach(async () => {
    await Promise.all(sockets.splice(0).map((socket) => socket.close()));
  });

  afterAll(async () => {
    await app.stop();
  });

  describe('change frames', () => {
    it('should number each change of a room by one more than the last, and push room edits and admins', async () => {
      const [alice, bob] = await Promise.all([newUser(app), newUser(app)]);
      const room = await newRoom(app, alice, { users: [bob] });
      const socket = await open(bob);
      const first = await newMessage(app, alice, room.id, { body: 'one' });
      await api(app, alice.token).patch(`/api/v1/chat/rooms/${room.id}/messages/${first.id}/`, { body: 'one, edited' });
      await newMessage(app, bob, room.id, { body: '+', parent_id: first.id, is_reaction: true });
      await api(app, alice.token).patch(`/api/v1/chat/rooms/${room.id}/`, { title: 'Renamed' });
      await api(app, alice.token).post(`/api/v1/chat/rooms/${room.id}/admins/`, { user_id: bob.id });
      await api(app, alice.token).delete(`/api/v1/chat/rooms/${room.id}/messages/${first.id}/`);
      await socket.waitFor((frame) => Boolean(frame.deleted_messages?.length));
      const frames = changesOf(socket.frames, room.id);
      const seqs = frames.map((frame) => frame.seq!);
      expect(seqs).toEqual(seqs.map((_, i) => seqs[0] + i));
      expect(frames.map((frame) => frame.messages[0]?.body)).toEqual(expect.arrayContaining(['one', 'one, edited']));
      const reacted = frames.find((frame) => frame.messages[0]?.reactions?.length === 1);
      expect(reacted?.messages[0].reaction_counts).toEqual([expect.objectContaining({ body: '+', count: 1 })]);
      const renamed = frames.find((frame) => frame.room?.title === 'Renamed');
      expect(renamed?.room).toMatchObject({ id: room.id, title: 'Renamed' });
      expect(frames.find((frame) => frame.room?.admins?.includes(bob.id))).toBeDefined();
      expect(frames.at(-1)).toEqual({
        room_id: room.id,
        seq: seqs.at(-1),
        messages: [],
        users: [],
        deleted_messages: [{ id: first.id, room_id: room.id }],
      });
    });

    it("should end a removed member's frames of a private room with deleted_room, and tell everyone of a deleted room", async () => {
      const [alice, bob, carol] = await Promise.all([newUser(app), newUser(app), newUser(app)]);
      const room = await newRoom(app, alice, { users: [bob, carol], is_public: false });
      const [bobSocket, carolSocket] = await Promise.all([open(bob), open(carol)]);
      await api(app, alice.token).delete(`/api/v1/chat/rooms/${room.id}/users/${bob.id}/`);
      const last = await bobSocket.waitFor((frame) => frame.deleted_room === true);
      expect(last).toMatchObject({
        room_id: room.id,
        users: [expect.objectContaining({ user_id: bob.id, is_active: false })],
      });
      const from = bobSocket.frames.length;
      await newMessage(app, alice, room.id, { body: 'bob is gone' });
      await bobSocket.expectNone((frame) => frame.room_id === room.id, 700, from);

      await api(app, alice.token).delete(`/api/v1/chat/rooms/${room.id}/`);
      const gone = await carolSocket.waitFor((frame) => frame.deleted_room === true);
      expect(gone).toEqual({ room_id: room.id, seq: expect.any(Number), messages: [], users: [], deleted_room: true });
    });
  });

  describe('resume', () => {
    it('should replay exactly what a client missed, in order, then ack', async () => {
      const [alice, bob] = await Promise.all([newUser(app), newUser(app)]);
      const room = await newRoom(app, alice, { users: [bob] });
      const before = await newMessage(app, alice, room.id, { body: 'before' });
      const first = await open(bob);
      const seen = await first.act({ action: 'resume', rooms: { [room.id]: 0 } });
      expect(seen).toEqual({ ack: expect.any(String), resync: [] });
      const known = applyFrames(changesOf(first.frames, room.id));
      expect([...known.keys()]).toEqual([before.id]);
      const lastSeq = changesOf(first.frames, room.id).at(-1)!.seq!;
      await first.close();

      await changeWhileAway(alice, room.id, 100);

      const again = await open(bob);
      const ack = await again.act({ action: 'resume', rooms: { [room.id]: lastSeq } });
      expect(ack.resync).toEqual([]);
      const replayed = changesOf(again.frames, room.id);
      expect(replayed.map((frame) => frame.seq)).toEqual(Array.from({ length: 102 }, (_, i) => lastSeq + 1 + i));
      // Every replayed frame came before the ack.
      expect(again.frames.indexOf(ack)).toBeGreaterThan(again.frames.indexOf(replayed.at(-1)!));
      await expectHistory(applyFrames(replayed, known), bob, room.id);
    });

    it('should replay what another member was pushed meanwhile exactly as missed, in order', async () => {
      // Alice stays connected, so the changes are pushed on this instance and kept built for resumes.
      const [alice, bob] = await Promise.all([newUser(app), newUser(app)]);
      const room = await newRoom(app, alice, { users: [bob] });
      const watcher = await open(alice);
      await watcher.act({ action: 'ping' });
      const first = await open(bob);
      await first.act({ action: 'resume', rooms: { [room.id]: 0 } });
      const lastSeq = changesOf(first.frames, room.id).at(-1)?.seq ?? 0;
      await first.close();

      await changeWhileAway(alice, room.id, 20);
      const pushed = await watcher.waitFor((frame) => frame.room_id === room.id && frame.seq === lastSeq + 22);

      const again = await open(bob);
      const ack = await again.act({ action: 'resume', rooms: { [room.id]: lastSeq } });
      expect(ack.resync).toEqual([]);
      const replayed = changesOf(again.frames, room.id);
      expect(replayed.map((frame) => frame.seq)).toEqual(Array.from({ length: 22 }, (_, i) => lastSeq + 1 + i));
      expect(replayed.at(-1)).toEqual(pushed);
      await expectHistory(applyFrames(replayed), bob, room.id);
    });

    it('should deliver posts made during a replay after it, with no duplicate and no gap', async () => {
      const [alice, bob] = await Promise.all([newUser(app), newUser(app)]);
      const room = await newRoom(app, alice, { users: [bob] });
      for (let i = 0; i < 60; i++) {
        await newMessage(app, alice, room.id, { body: `history ${i}` });
      }
      const socket = await open(bob);
      const posting = Promise.all(
        Array.from({ length: 20 }, (_, i) => newMessage(app, alice, room.id, { body: `live ${i}` })),
      );
      const ack = await socket.act({ action: 'resume', rooms: { [room.id]: 0 } });
      expect(ack.resync).toEqual([]);
      const live = await posting;
      await socket.waitFor(hasMessage(live.at(-1).id));
      await sleep(300);
      const seqs = changesOf(socket.frames, room.id).map((frame) => frame.seq!);
      expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1));
      const bodies = applyFrames(changesOf(socket.frames, room.id));
      expect([...bodies.values()].filter((message) => message.body.startsWith('live'))).toHaveLength(20);
    });

    it('should answer resync for rooms it cannot replay and replay none of them', async () => {
      const [alice, bob, eve] = await Promise.all([newUser(app), newUser(app), newUser(app)]);
      const room = await newRoom(app, alice, { users: [bob] });
      const hidden = await newRoom(app, eve, { is_public: false });
      await newMessage(app, alice, room.id);
      const socket = await open(bob);
      const unknown = '00000000-0000-4000-8000-000000000000';
      const ack = await socket.act({ action: 'resume', rooms: { [room.id]: 999, [hidden.id]: 0, [unknown]: 0 } });
      expect(ack.resync!.sort()).toEqual([room.id, hidden.id, unknown].sort());
      expect(changesOf(socket.frames, hidden.id)).toEqual([]);
    });

    it('should refuse a resume with bad rooms, keeping the connection', async () => {
      const bob = await newUser(app);
      const socket = await open(bob);
      for (const rooms of [undefined, 'x', { 'not-an-id': 1 }, { '00000000-0000-4000-8000-000000000000': -1 }]) {
        const answer = await socket.act({ action: 'resume', rooms });
        expect(answer.error).toMatchObject({ code: 'invalid', field: expect.stringMatching(/^rooms/) });
      }
      expect((await socket.act({ action: 'ping' })).ack).toBeDefined();
    });
  });

  describe('changes over REST', () => {
    it('should page through the changes after since, and refuse what it cannot answer', async () => {
      const [alice, eve] = await Promise.all([newUser(app), newUser(app)]);
      const room = await newRoom(app, alice, { is_public: false });
      for (let i = 0; i < 5; i++) {
        await newMessage(app, alice, room.id, { body: `m${i}` });
      }
      const all = await changes(alice, room.id, 'since=0');
      expect(all.status).toBe(200);
      const latest = all.body.seq;
      expect(all.body.changes.map((frame: any) => frame.seq)).toEqual(Array.from({ length: latest }, (_, i) => i + 1));
      expect(all.body.next).toBeNull();

      const page = await changes(alice, room.id, `since=${latest - 5}&limit=2`);
      expect(page.body.changes.map((frame: any) => frame.messages[0].body)).toEqual(['m0', 'm1']);
      const next = new URL(page.body.next);
      expect(next.searchParams.get('since')).toBe(String(latest - 3));
      const rest = await api(app, alice.token).get(`${next.pathname}${next.search}`);
      expect(rest.body.changes.map((frame: any) => frame.messages[0].body)).toEqual(['m2', 'm3']);

      expect((await changes(alice, room.id, `since=${latest}`)).body).toEqual({ seq: latest, changes: [], next: null });
      expect((await changes(eve, room.id, 'since=0')).status).toBe(404);
      for (const query of ['since=', 'since=-1', 'since=x', 'since=1&limit=0']) {
        expect((await changes(alice, room.id, query)).status).toBe(400);
      }
      const ahead = await changes(alice, room.id, `since=${latest + 10}`);
      expect(ahead.status).toBe(410);
      expect(ahead.body.errors[0].code).toBe('history_expired');
    });
  });

  describe('actions', () => {
    it('should send with an ack and push the message once, idempotently by client_id', async () => {
      const [alice, bob] = await Promise.all([newUser(app), newUser(app)]);
      const room = await newRoom(app, alice, { users: [bob] });
      const [aliceSocket, bobSocket] = await Promise.all([open(alice), open(bob)]);
      const action = { action: 'send', room_id: room.id, body: 'over the socket', client_id: 'c-1' };
      const ack = await aliceSocket.act(action);
      expect(ack.message).toMatchObject({ body: 'over the socket', client_id: 'c-1', is_me: true, room_id: room.id });
      const repeat = await aliceSocket.act(action);
      expect(repeat.message.id).toBe(ack.message.id);
      await bobSocket.waitFor(hasMessage(ack.message.id));
      await sleep(500);
      expect(bobSocket.frames.filter(hasMessage(ack.message.id))).toHaveLength(1);
      const history = await api(app, bob.token).get(`/api/v1/chat/rooms/${room.id}/messages/`);
      expect(history.body.results.filter((message: any) => message.client_id === 'c-1')).toHaveLength(1);
    });

    it('should store nothing for a room the user cannot see and answer not_found', async () => {
      const [alice, eve] = await Promise.all([newUser(app), newUser(app)]);
      const room = await newRoom(app, alice, { is_public: false });
      const eveSocket = await open(eve);
      const sent = await eveSocket.act({ action: 'send', room_id: room.id, body: 'let me in' });
      expect(sent.error).toMatchObject({ code: 'not_found' });
      const typed = await eveSocket.act({ action: 'typing', room_id: room.id });
      expect(typed.error).toMatchObject({ code: 'not_found' });
      const history = await api(app, alice.token).get(`/api/v1/chat/rooms/${room.id}/messages/`);
      expect(history.body.count).toBe(0);
    });

    it('should answer invalid for unknown actions and missing or bad fields', async () => {
      const alice = await newUser(app);
      const room = await newRoom(app, alice);
      const socket = await open(alice);
      expect((await socket.act({ action: 'dance' })).error).toMatchObject({ code: 'invalid', field: 'action' });
      expect((await socket.act({ action: 'send', room_id: room.id })).error).toMatchObject({
        code: 'invalid',
        field: 'body',
      });
      expect((await socket.act({ action: 'send', room_id: 'x', body: 'hi' })).error).toMatchObject({
        code: 'invalid',
        field: 'room_id',
      });
      expect((await socket.act({ action: 'send', room_id: room.id, body: 'hi', extra: 1 })).error).toMatchObject({
        code: 'invalid',
        field: 'extra',
      });
      expect((await socket.act({ action: 'seen', room_id: room.id, message_ids: 'x' })).error).toMatchObject({
        code: 'invalid',
        field: 'message_ids',
      });
      socket.raw.send(JSON.stringify({ action: 'ping' }));
      expect((await socket.waitFor((frame) => frame.error?.field === 'ref')).error!.ref).toBeNull();
      expect((await socket.act({ action: 'ping' })).ack).toBeDefined();
    });

    it("should tell the user's other connections what they marked seen, not the one that marked", async () => {
      const [alice, bob] = await Promise.all([newUser(app), newUser(app)]);
      const room = await newRoom(app, alice, { users: [bob] });
      const messages: any[] = [];
      for (let i = 0; i < 3; i++) {
        messages.push(await newMessage(app, alice, room.id));
      }
      const [phone, laptop] = await Promise.all([open(bob), open(bob)]);
      await phone.act({ action: 'ping' }); // set up: seen frames are not replayed
      const ack = await laptop.act({ action: 'seen', room_id: room.id, message_ids: [messages[0].id, messages[1].id] });
      expect(ack.message_ids!.sort()).toEqual([messages[0].id, messages[1].id].sort());
      const told = await phone.waitFor((frame) => frame.seen !== undefined);
      expect(told.room_id).toBe(room.id);
      expect(told.seen!.message_ids.sort()).toEqual([messages[0].id, messages[1].id].sort());
      expect(told.seen!.message_new_count).toBe(1);
      await laptop.expectNone((frame) => frame.seen !== undefined, 500);

      // Over REST, every connection is another one.
      await api(app, bob.token).post(`/api/v1/chat/rooms/${room.id}/messages/seen/`, { message_ids: [messages[2].id] });
      for (const socket of [phone, laptop]) {
        const frame = await socket.waitFor((f) => f.seen?.message_ids[0] === messages[2].id);
        expect(frame.seen!.message_new_count).toBe(0);
      }
    });

    it('should show who is typing to the others, at most every 2 s, and clear it after 6 s', async () => {
      const [alice, bob] = await Promise.all([newUser(app, { first_name: 'Alice' }), newUser(app)]);
      const room = await newRoom(app, alice, { users: [bob] });
      const [aliceSocket, bobSocket] = await Promise.all([open(alice), open(bob)]);
      // Typing is not replayed: bob's connection must be in the room (set up, which answering a ping shows)
      // before alice types, or he would rightly miss it.
      await bobSocket.act({ action: 'ping' });
      expect((await aliceSocket.act({ action: 'typing', room_id: room.id })).ack).toBeDefined();
      const typing = await bobSocket.waitFor((frame) => frame.typing !== undefined);
      expect(typing).toEqual({ room_id: room.id, typing: [{ user_id: alice.id, name: 'Alice' }] });
      await aliceSocket.act({ action: 'typing', room_id: room.id });
      await sleep(300);
      expect(bobSocket.frames.filter((frame) => frame.typing !== undefined)).toHaveLength(1);
      expect(aliceSocket.frames.filter((frame) => frame.typing !== undefined)).toHaveLength(0);
      const cleared = await bobSocket.waitFor((frame) => frame.typing?.length === 0, 8000);
      expect(cleared).toEqual({ room_id: room.id, typing: [] });
    });

    it('should close a connection that floods it with frames (1008)', async () => {
      const alice = await newUser(app);
      const socket = await open(alice);
      for (let i = 0; i < 150; i++) {
        socket.raw.send(JSON.stringify({ action: 'ping', ref: `p${i}` }));
      }
      expect((await socket.closed).code).toBe(1008);
    });
  });
});

describe('realtime v2: the change log is kept for EVENT_RETENTION', () => {
  it('should prune old changes, then answer resync and 410 history_expired for them', async () => {
    const app = await startIsolatedApp({ EVENT_RETENTION: '1', EVENT_PRUNE_INTERVAL_MS: '200' });
    try {
      const alice = await newUser(app);
      const room = await newRoom(app, alice);
      await newMessage(app, alice, room.id, { body: 'old' });
      await sleep(2000);
      await newMessage(app, alice, room.id, { body: 'new' });
      const page = await api(app, alice.token).get(`/api/v1/chat/rooms/${room.id}/changes/?since=0`);
      expect(page.status).toBe(410);
      expect(page.body.errors[0].code).toBe('history_expired');
      const latest = (await api(app, alice.token).get(`/api/v1/chat/rooms/${room.id}/changes/?since=${1}`)).status;
      expect(latest).toBe(410);
      const socket = await connect(app, alice.token);
      try {
        expect((await socket.act({ action: 'resume', rooms: { [room.id]: 0 } })).resync).toEqual([room.id]);
      } finally {
        await socket.close();
      }
    } finally {
      await app.stop();
    }
  });
});

describe('realtime v2: a resume that came first is first, however late its turn comes', () => {
  it('should replay then go live in seq order when resuming amid posts, with no grace', async () => {
    // No grace, and the frame budget in Redis: the resume waits a round trip after the set-up, which
    // is when a grace timer that only its turn ended used to let live frames out ahead of the replay.
    const app = await startIsolatedApp({
      REDIS_URL: redisServerUrl(),
      WS_RESUME_GRACE_MS: '0',
      RATE_MESSAGES_PER_SECOND: '1000',
      RATE_MESSAGES_BURST: '2000',
    });
    try {
      const [alice, bob] = await Promise.all([newUser(app), newUser(app)]);
      const room = await newRoom(app, alice, { users: [bob] });
      let since = 0;
      for (let round = 0; round < 5; round++) {
        // Posts keep coming, one after another, while bob connects and resumes.
        let posting = true;
        const posted: string[] = [];
        const poster = (async () => {
          while (posting) {
            posted.push((await newMessage(app, alice, room.id)).id);
          }
        })();
        await sleep(50);
        const socket = await connect(app, bob.token);
        try {
          expect((await socket.act({ action: 'resume', rooms: { [room.id]: since } })).resync).toEqual([]);
          await sleep(100);
          posting = false;
          await poster;
          await socket.waitFor(hasMessage(posted.at(-1)!));
          const seqs = changesOf(socket.frames, room.id).map((frame) => frame.seq!);
          expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => since + i + 1));
          since = seqs.at(-1)!;
        } finally {
          await socket.close();
        }
      }
    } finally {
      await app.stop();
    }
  });
});

describe('realtime v2: socket actions spend the same limits as REST', () => {
  it('should answer a send over the message budget with a throttled error frame, shared with POST', async () => {
    const app = await startIsolatedApp({ RATE_MESSAGES_PER_SECOND: '2', RATE_MESSAGES_BURST: '2' });
    try {
      const alice = await newUser(app);
      const room = await newRoom(app, alice);
      const socket = await connect(app, alice.token);
      try {
        const answers = [];
        for (let i = 0; i < 3; i++) {
          answers.push(await socket.act({ action: 'send', room_id: room.id, body: `fast ${i}` }));
        }
        expect(answers.filter((answer) => answer.message).length).toBeLessThanOrEqual(2);
        expect(answers.at(-1)!.error).toMatchObject({ code: 'throttled' });
        const posted = await api(app, alice.token).post(`/api/v1/chat/rooms/${room.id}/messages/`, { body: 'rest' });
        expect(posted.status).toBe(429);
      } finally {
        await socket.close();
      }
    } finally {
      await app.stop();
    }
  });
});
