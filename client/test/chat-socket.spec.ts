import { ChatSocket, ChatSocketError, type ChatSocketOptions, type ChangeFrame, type WebSocketLike } from '../src';

/** A socket the test drives by hand: what the client sends, and what the server would answer. */
class FakeSocket implements WebSocketLike {
  static instances: FakeSocket[] = [];
  readyState = 0;
  sent: any[] = [];
  onopen: ((event: never) => void) | null = null;
  onmessage: ((event: never) => void) | null = null;
  onclose: ((event: never) => void) | null = null;
  onerror: ((event: never) => void) | null = null;

  constructor(readonly url: string) {
    FakeSocket.instances.push(this);
  }

  send(data: string): void {
    this.sent.push(JSON.parse(data));
  }

  close(code = 1000, reason = ''): void {
    this.drop(code, reason);
  }

  open(): void {
    this.readyState = 1;
    this.onopen?.({} as never);
  }

  receive(frame: object): void {
    this.onmessage?.({ data: JSON.stringify(frame) } as never);
  }

  drop(code = 1006, reason = ''): void {
    if (this.readyState === 3) {
      return;
    }
    this.readyState = 3;
    this.onclose?.({ code, reason } as never);
  }

  /** The last action sent of that name. */
  last(action: string): any {
    return [...this.sent].reverse().find((frame) => frame.action === action);
  }
}

const flush = () => new Promise((resolve) => setImmediate(resolve));
/** Until the client has made its `count`th socket (it reconnects after a short delay). */
const reconnected = async (count: number) => {
  while (FakeSocket.instances.length < count) {
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
};
const latest = () => FakeSocket.instances[FakeSocket.instances.length - 1];
const change = (room_id: string, seq: number, body = `m${seq}`): ChangeFrame => ({
  room_id,
  seq,
  messages: [{ id: `${room_id}-${seq}`, body } as ChangeFrame['messages'][number]],
  users: [],
});

describe('ChatSocket', () => {
  const sockets: ChatSocket[] = [];

  const open = async (options: Partial<ChatSocketOptions> = {}) => {
    const socket = new ChatSocket({
      url: 'http://chat.test',
      token: 'jwt',
      WebSocket: FakeSocket,
      reconnect: { minDelayMs: 10, maxDelayMs: 40 },
      random: () => 0,
      ...options,
    });
    sockets.push(socket);
    const changes: ChangeFrame[] = [];
    socket.on('change', (frame) => changes.push(frame));
    const connected = socket.connect();
    await flush();
    latest().open();
    await connected;
    return { socket, changes, fake: latest() };
  };

  beforeEach(() => {
    FakeSocket.instances = [];
  });

  afterEach(() => {
    sockets.splice(0).forEach((socket) => socket.close());
    jest.useRealTimers();
  });

  it('should connect with the token and send resume first, with the seqs it was given', async () => {
    const { fake } = await open({ rooms: { a: 4 }, token: () => Promise.resolve('t/k n') });

    expect(fake.url).toBe('ws://chat.test/api/v1/chat/ws/?token=t%2Fk+n');
    expect(fake.sent).toEqual([{ action: 'resume', ref: expect.any(String), rooms: { a: 4 } }]);
  });

  it('should apply frames in seq order once, and resume a room from its last seq on a gap', async () => {
    const { socket, changes, fake } = await open();
    fake.receive(change('a', 7));
    fake.receive(change('a', 8));
    fake.receive(change('a', 8));
    fake.receive(change('a', 6));
    fake.receive(change('a', 11));
    fake.receive(change('a', 12));

    expect(changes.map((frame) => frame.seq)).toEqual([7, 8]);
    const resume = fake.last('resume');
    expect(resume.rooms).toEqual({ a: 8 });
    expect(fake.sent.filter((frame) => frame.action === 'resume')).toHaveLength(2);

    [9, 10, 11, 12].forEach((seq) => fake.receive(change('a', seq)));
    fake.receive({ ack: resume.ref, resync: [] });
    fake.receive(change('a', 12));
    fake.receive(change('a', 13));

    expect(changes.map((frame) => frame.seq)).toEqual([7, 8, 9, 10, 11, 12, 13]);
    expect(socket.lastSeqs).toEqual({ a: 13 });
  });

  it('should forget the seq of a room to resync and of a deleted room, and report the resync', async () => {
    const { socket, changes, fake } = await open({ rooms: { a: 3, b: 5 } });
    const resyncs: string[][] = [];
    socket.on('resync', ({ room_ids }) => resyncs.push(room_ids));

    fake.receive({ ack: fake.last('resume').ref, resync: ['a'] });
    fake.receive({ ...change('b', 6), deleted_room: true });
    fake.receive(change('a', 40));

    expect(resyncs).toEqual([['a']]);
    expect(changes.map((frame) => `${frame.room_id}${frame.seq}`)).toEqual(['b6', 'a40']);
    expect(socket.lastSeqs).toEqual({ a: 40 });
  });

  it('should say it is synced once every resume of a connect is answered, and not for a dropped one', async () => {
    const rooms = Object.fromEntries(Array.from({ length: 1001 }, (_, i) => [`room-${i}`, 1]));
    const { socket, fake } = await open({ rooms });
    const synced: boolean[] = [];
    socket.on('synced', ({ reconnected }) => synced.push(reconnected));
    const [first, second] = fake.sent.filter((frame) => frame.action === 'resume');

    fake.receive({ ack: first.ref, resync: [] });
    expect(synced).toEqual([]);
    fake.receive({ error: { ref: second.ref, code: 'invalid', message: 'no' } });
    expect(synced).toEqual([false]);

    fake.drop();
    await reconnected(2);
    latest().open();
    const cut = latest();
    const again = cut.sent.filter((frame) => frame.action === 'resume');
    cut.drop();
    cut.receive({ ack: again[0].ref, resync: [] });
    expect(synced).toEqual([false]);

    await reconnected(3);
    latest().open();
    for (const resume of latest().sent.filter((frame) => frame.action === 'resume')) {
      latest().receive({ ack: resume.ref, resync: [] });
    }
    expect(synced).toEqual([false, true]);
  });

  it('should emit presence, typing and seen frames and ignore frames it does not know', async () => {
    const { socket, changes, fake } = await open();
    const seen: unknown[] = [];
    const typing: unknown[] = [];
    const presence: unknown[] = [];
    socket.on('seen', (frame) => seen.push(frame));
    socket.on('typing', (frame) => typing.push(frame));
    socket.on('presence', (frame) => presence.push(frame));

    fake.receive({ room_id: 'a', messages: [], users: [{ id: 'u', is_online: true }] });
    fake.receive({ room_id: 'a', typing: [{ user_id: 'u', name: 'Ada' }] });
    fake.receive({ room_id: 'a', seen: { message_ids: ['m'], message_new_count: 0 } });
    fake.receive({ something: 'new' });
    fake.onmessage?.({ data: 'not json' } as never);

    expect(presence).toHaveLength(1);
    expect(typing).toEqual([{ room_id: 'a', typing: [{ user_id: 'u', name: 'Ada' }] }]);
    expect(seen).toEqual([{ room_id: 'a', seen: { message_ids: ['m'], message_new_count: 0 } }]);
    expect(changes).toEqual([]);
  });

  it('should answer actions from their acks and errors', async () => {
    const { socket, fake } = await open();

    const sent = socket.send({ room_id: 'a', body: 'hi' });
    const frame = fake.last('send');
    expect(frame).toEqual({
      action: 'send',
      ref: expect.any(String),
      room_id: 'a',
      body: 'hi',
      client_id: expect.any(String),
    });
    expect(frame.client_id).toMatch(/^[0-9a-f]{32}$/);
    fake.receive({ ack: frame.ref, message: { id: 'm1', body: 'hi' } });
    await expect(sent).resolves.toMatchObject({ id: 'm1' });

    const seen = socket.seen('a', ['m1', 'x']);
    fake.receive({ ack: fake.last('seen').ref, message_ids: ['m1'] });
    await expect(seen).resolves.toEqual(['m1']);

    const typing = socket.typing('a');
    fake.receive({
      error: { ref: fake.last('typing').ref, code: 'not_found', message: 'room not found', field: 'room_id' },
    });
    await expect(typing).rejects.toMatchObject({ name: 'ChatSocketError', code: 'not_found', field: 'room_id' });

    const ping = socket.ping();
    fake.receive({ ack: fake.last('ping').ref });
    await expect(ping).resolves.toBeUndefined();
  });

  it('should fail an action that gets no answer in time', async () => {
    const { socket } = await open({ ackTimeoutMs: 30 });

    await expect(socket.ping()).rejects.toEqual(new ChatSocketError('timeout', 'no answer to ping in time'));
  });

  it('should reconnect with growing delays, resume, and send again with the same client_id', async () => {
    const { socket, changes, fake } = await open();
    fake.receive(change('a', 1));
    const sent = socket.send({ room_id: 'a', body: 'again', client_id: 'mine-1' });
    const ping = socket.ping();

    jest.useFakeTimers();
    fake.drop();
    await expect(ping).rejects.toMatchObject({ code: 'disconnected' });
    expect(socket.state).toBe('reconnecting');
    const delays: number[] = [];
    for (let attempt = 0; attempt < 4; attempt++) {
      const before = FakeSocket.instances.length;
      let waited = 0;
      while (FakeSocket.instances.length === before) {
        jest.advanceTimersByTime(1);
        waited++;
        await Promise.resolve();
        await Promise.resolve();
      }
      delays.push(waited);
      latest().drop();
    }
    // Doubling from 10 ms to the 40 ms ceiling, each delay half of it with random() = 0.
    expect(delays).toEqual([5, 10, 20, 20]);
    jest.advanceTimersByTime(20);
    await Promise.resolve();
    await Promise.resolve();
    jest.useRealTimers();

    const again = latest();
    again.open();
    expect(again.sent.map((frame) => frame.action)).toEqual(['resume', 'send']);
    expect(again.sent[0].rooms).toEqual({ a: 1 });
    expect(again.sent[1]).toMatchObject({ client_id: 'mine-1', body: 'again' });
    again.receive(change('a', 2));
    again.receive({ ack: again.sent[1].ref, message: { id: 'm2', client_id: 'mine-1' } });
    await expect(sent).resolves.toMatchObject({ id: 'm2' });
    expect(changes.map((frame) => frame.seq)).toEqual([1, 2]);
  });

  it('should stop on close code 4401, report unauthenticated and fail what waits', async () => {
    const { socket, fake } = await open();
    const reports: unknown[] = [];
    socket.on('unauthenticated', (event) => reports.push(event));
    const sent = socket.send({ room_id: 'a', body: 'lost' });

    fake.drop(4401, 'token expired');

    await expect(sent).rejects.toMatchObject({ code: 'unauthenticated' });
    expect(reports).toEqual([{ code: 4401, reason: 'token expired' }]);
    expect(socket.state).toBe('unauthenticated');
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(FakeSocket.instances).toHaveLength(1);
    await expect(socket.ping()).rejects.toMatchObject({ code: 'unauthenticated' });
  });

  it('should queue actions until open, and fail them on close()', async () => {
    const socket = new ChatSocket({ url: 'https://chat.test/base/', token: 'jwt', WebSocket: FakeSocket });
    sockets.push(socket);
    const connected = socket.connect();
    const typing = socket.typing('a');
    await flush();

    expect(latest().url).toBe('wss://chat.test/base/api/v1/chat/ws/?token=jwt');
    latest().open();
    await connected;
    expect(latest().sent.map((frame) => frame.action)).toEqual(['resume', 'typing']);
    const ping = socket.ping();
    socket.close();
    await expect(typing).rejects.toMatchObject({ code: 'closed' });
    await expect(ping).rejects.toMatchObject({ code: 'closed' });
    expect(socket.state).toBe('closed');
  });
});
