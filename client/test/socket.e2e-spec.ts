import WebSocket from 'ws';
import { startIsolatedApp, TestApp } from '../../test/helpers/app';
import { newRoom, newUser, TestUser } from '../../test/helpers/factories';
import { sleep } from '../../test/helpers/ws';
import {
  ChatSocket,
  type ChatSocketOptions,
  type ChatSocketState,
  type ChangeFrame,
  createChatClient,
  type WebSocketLike,
} from '../src';

/**
 * A `ws` socket the test can cut: `drop()` ends the connection as a network failure would, and
 * `loseNextSendAck` swallows the answer to the next `send` and then cuts, as when the server stored the
 * message but the connection died before its ack arrived.
 */
class CuttableSocket implements WebSocketLike {
  static instances: CuttableSocket[] = [];
  loseNextSendAck = false;
  onopen: ((event: never) => void) | null = null;
  onmessage: ((event: never) => void) | null = null;
  onclose: ((event: never) => void) | null = null;
  onerror: ((event: never) => void) | null = null;
  private readonly inner: WebSocket;

  constructor(url: string) {
    CuttableSocket.instances.push(this);
    this.inner = new WebSocket(url);
    this.inner.onopen = (event) => this.onopen?.(event as never);
    this.inner.onerror = (event) => this.onerror?.(event as never);
    this.inner.onclose = (event) => this.onclose?.(event as never);
    this.inner.onmessage = (event) => {
      const frame = JSON.parse(event.data as string);
      if (this.loseNextSendAck && typeof frame.ack === 'string' && frame.message) {
        this.loseNextSendAck = false;
        this.drop();
        return;
      }
      this.onmessage?.(event as never);
    };
  }

  get readyState(): number {
    return this.inner.readyState;
  }

  send(data: string): void {
    this.inner.send(data);
  }

  close(code?: number, reason?: string): void {
    this.inner.close(code, reason);
  }

  drop(): void {
    this.inner.terminate();
  }
}

const latestSocket = () => CuttableSocket.instances[CuttableSocket.instances.length - 1];

describe('ChatSocket against the app', () => {
  let app: TestApp;
  const sockets: ChatSocket[] = [];

  beforeAll(async () => {
    app = await startIsolatedApp();
  });

  afterEach(() => {
    sockets.splice(0).forEach((socket) => socket.close());
  });

  afterAll(async () => {
    await app.stop();
  });

  /** A connected ChatSocket of `user`, with every change frame it applied, in order. */
  const connect = async (user: TestUser, options: Partial<ChatSocketOptions> = {}) => {
    const socket = new ChatSocket({ url: app.url, token: user.token, WebSocket: CuttableSocket, ...options });
    sockets.push(socket);
    const changes: ChangeFrame[] = [];
    socket.on('change', (frame) => changes.push(frame));
    await socket.connect();
    return { socket, changes };
  };

  const waitUntil = async (what: string, done: () => boolean, ms = 5000) => {
    const deadline = Date.now() + ms;
    while (!done()) {
      if (Date.now() > deadline) {
        throw new Error(`timed out waiting for ${what}`);
      }
      await sleep(20);
    }
  };

  const waitForState = (socket: ChatSocket, state: ChatSocketState) =>
    waitUntil(`state ${state}`, () => socket.state === state);

  const messageIds = (changes: ChangeFrame[]) => changes.flatMap((frame) => frame.messages.map((m) => m.id));

  /** Posts as `user` in the room over REST, answering the message's id. */
  const poster = (user: TestUser, roomId: string) => {
    const chat = createChatClient({ baseUrl: app.url, token: user.token });
    return async (body: string) =>
      (await chat.POST('/api/v1/chat/rooms/{roomId}/messages', { params: { path: { roomId } }, body: { body } })).data!
        .id;
  };

  it('should receive a message posted over REST as a change frame with its seq', async () => {
    const [alice, bob] = [await newUser(app), await newUser(app)];
    const room = await newRoom(app, alice, { users: [bob] });
    const { changes } = await connect(bob);

    const posted = await createChatClient({ baseUrl: app.url, token: alice.token }).POST(
      '/api/v1/chat/rooms/{roomId}/messages',
      { params: { path: { roomId: room.id } }, body: { body: 'hello bob' } },
    );

    await waitUntil('the message', () => messageIds(changes).includes(posted.data!.id));
    const frame = changes.find((candidate) => candidate.messages.some((m) => m.id === posted.data!.id))!;
    expect(frame).toMatchObject({ room_id: room.id, seq: expect.any(Number) });
    expect(frame.messages[0]).toMatchObject({ body: 'hello bob', is_me: false });
  });

  it('should resume after a disconnect without losing or repeating a change', async () => {
    const [alice, bob] = [await newUser(app), await newUser(app)];
    const room = await newRoom(app, alice, { users: [bob] });
    const post = poster(alice, room.id);
    const { socket, changes } = await connect(bob, { reconnect: { minDelayMs: 600, maxDelayMs: 600 } });
    const first = await post('before');
    await waitUntil('the first message', () => messageIds(changes).includes(first));

    latestSocket().drop();
    await waitForState(socket, 'reconnecting');
    const missed = [await post('while away 1'), await post('while away 2')];
    await waitForState(socket, 'open');
    const after = await post('after');

    await waitUntil('every message', () => messageIds(changes).includes(after));
    await sleep(300);
    const roomChanges = changes.filter((frame) => frame.room_id === room.id);
    const seqs = roomChanges.map((frame) => frame.seq);
    expect(seqs).toEqual(seqs.map((_, i) => seqs[0] + i));
    const delivered = messageIds(roomChanges);
    expect(delivered.filter((id) => [first, ...missed, after].includes(id))).toEqual([first, ...missed, after]);
    expect(socket.lastSeqs[room.id]).toBe(seqs[seqs.length - 1]);
  });

  it('should say it is synced after each connect, once what it missed while away is applied', async () => {
    const [alice, bob] = [await newUser(app), await newUser(app)];
    const room = await newRoom(app, alice, { users: [bob] });
    const post = poster(alice, room.id);
    const syncs: { reconnected: boolean; applied: string[] }[] = [];
    const socket = new ChatSocket({
      url: app.url,
      token: bob.token,
      WebSocket: CuttableSocket,
      reconnect: { minDelayMs: 600, maxDelayMs: 600 },
    });
    sockets.push(socket);
    const changes: ChangeFrame[] = [];
    socket.on('change', (frame) => changes.push(frame));
    socket.on('synced', ({ reconnected }) => syncs.push({ reconnected, applied: messageIds(changes) }));
    await socket.connect();
    await waitUntil('the first sync', () => syncs.length === 1);
    const first = await post('before');
    await waitUntil('the first message', () => messageIds(changes).includes(first));

    latestSocket().drop();
    await waitForState(socket, 'reconnecting');
    const missed = [await post('while away 1'), await post('while away 2')];
    await waitUntil('the sync after the reconnect', () => syncs.length === 2);

    expect(syncs.map(({ reconnected }) => reconnected)).toEqual([false, true]);
    expect(syncs[1].applied).toEqual([first, ...missed]);
  });

  it('should send with an ack, and store a send retried after a lost ack once', async () => {
    const [alice, bob] = [await newUser(app), await newUser(app)];
    const room = await newRoom(app, alice, { users: [bob] });
    const { changes: aliceChanges } = await connect(alice);
    const { socket } = await connect(bob, { reconnect: { minDelayMs: 100, maxDelayMs: 100 } });

    const acked = await socket.send({ room_id: room.id, body: 'typed send' });
    expect(acked).toMatchObject({ room_id: room.id, body: 'typed send', is_me: true, client_id: expect.any(String) });

    const connections = CuttableSocket.instances.length;
    latestSocket().loseNextSendAck = true;
    const retried = await socket.send({ room_id: room.id, body: 'sent once' });
    expect(CuttableSocket.instances.length).toBe(connections + 1);
    expect(retried).toMatchObject({ body: 'sent once', is_me: true });

    const list = await createChatClient({ baseUrl: app.url, token: alice.token }).GET(
      '/api/v1/chat/rooms/{roomId}/messages',
      { params: { path: { roomId: room.id } } },
    );
    expect(list.data!.results.map((message) => message.body)).toEqual(['sent once', 'typed send']);
    await waitUntil('the retried message', () => messageIds(aliceChanges).includes(retried.id));
    await sleep(500);
    expect(messageIds(aliceChanges).filter((id) => id === retried.id)).toHaveLength(1);
  });

  it('should answer seen, typing and ping, and report an unknown room as an error', async () => {
    const [alice, bob] = [await newUser(app), await newUser(app)];
    const room = await newRoom(app, alice, { users: [bob] });
    const { socket: aliceSocket } = await connect(alice);
    const { socket } = await connect(bob);
    const typing: string[] = [];
    aliceSocket.on('typing', (frame) => typing.push(...frame.typing.map((user) => user.user_id)));

    const message = await aliceSocket.send({ room_id: room.id, body: 'read me' });
    await expect(socket.seen(room.id, [message.id])).resolves.toEqual([message.id]);
    await expect(socket.typing(room.id)).resolves.toBeUndefined();
    await expect(socket.ping()).resolves.toBeUndefined();
    await waitUntil('the typing frame', () => typing.includes(bob.id));
    await expect(socket.typing('00000000-0000-4000-8000-000000000000')).rejects.toMatchObject({
      name: 'ChatSocketError',
      code: 'not_found',
    });
  });

  it('should report unauthenticated and not reconnect when the token is refused', async () => {
    const socket = new ChatSocket({ url: app.url, token: 'not-a-jwt', reconnect: { minDelayMs: 50 } });
    sockets.push(socket);
    const reports: unknown[] = [];
    socket.on('unauthenticated', (event) => reports.push(event));

    await expect(socket.connect()).rejects.toMatchObject({ code: 'unauthenticated' });
    expect(socket.state).toBe('unauthenticated');
    expect(reports).toHaveLength(1);
  });
});
