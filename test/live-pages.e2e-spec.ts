import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { startIsolatedApp, TestApp } from './helpers/app';
import { api } from './helpers/api';
import { TestBrowser, Visitor } from './helpers/browser';
import { newMessage, newRoom, newUser, TestUser } from './helpers/factories';

const ARTIFACTS = resolve(__dirname, '..', 'test-artifacts', 'pages');

interface Sent {
  method: string;
  url: string;
}

/** The pages on Realtime v2: resume after a drop, send over the socket, typing, seen in every tab. */
describe('live pages', () => {
  let app: TestApp;
  let browser: TestBrowser;

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    browser = await TestBrowser.launch();
    app = await startIsolatedApp({ PRESENCE_GRACE_MS: '0' });
  });

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  afterEach(async () => {
    expect(await browser.closeVisitors()).toEqual({ dialogs: [], errors: [] });
  });

  /** The page's HTTP requests, and the actions its sockets sent (one list per socket, in order). */
  function record(page: Page): { requests: Sent[]; sockets: Record<string, unknown>[][] } {
    const requests: Sent[] = [];
    const sockets: Record<string, unknown>[][] = [];
    page.on('request', (sent) => requests.push({ method: sent.method(), url: sent.url() }));
    page.on('websocket', (socket) => {
      const frames: Record<string, unknown>[] = [];
      sockets.push(frames);
      socket.on('framesent', ({ payload }) => frames.push(JSON.parse(payload.toString()) as Record<string, unknown>));
    });
    return { requests, sockets };
  }

  async function openRoom(page: Page, roomId: string): Promise<void> {
    await page.goto(`${app.url}/chat/${roomId}/`);
    await page.waitForSelector('body[data-live="open"]');
  }

  const say = (page: Page, text: string) => page.getByRole('textbox', { name: 'Message' }).fill(text);
  const messageText = (page: Page) =>
    page.getByRole('log', { name: 'Messages' }).locator('.msg__body').allTextContents();
  const shown = (page: Page, text: string) =>
    page.getByRole('log', { name: 'Messages' }).getByRole('article').filter({ hasText: text });
  const actions = (frames: Record<string, unknown>[]) => frames.map((frame) => frame.action);

  async function pair(): Promise<{ owner: TestUser; friend: TestUser; room: { id: string } }> {
    const owner = await newUser(app, { first_name: 'Olivia' });
    const friend = await newUser(app, { first_name: 'Felix' });
    const room = (await newRoom(app, owner, { title: 'Live room', users: [friend] })) as { id: string };
    return { owner, friend, room };
  }

  it('should resume after a network drop: what was missed shows once, and the history is not read again', async () => {
    const { owner, friend, room } = await pair();
    await newMessage(app, owner, room.id, { body: 'before the drop' });
    const o: Visitor = await browser.visitor(app, owner);
    const { requests, sockets } = record(o.page);
    await openRoom(o.page, room.id);

    await o.context.setOffline(true);
    // At once: offline, the socket's closing handshake could take a minute to give up.
    await o.page.waitForSelector('body[data-live="down"]', { timeout: 5_000 });
    await o.page.getByRole('status').filter({ hasText: 'Reconnecting…' }).waitFor();
    await newMessage(app, friend, room.id, { body: 'while you were away' });
    await newMessage(app, friend, room.id, { body: 'and another one' });
    // Attempts to reconnect while offline keep it shown as down.
    await o.page.waitForTimeout(1_500);
    expect(await o.page.getAttribute('body', 'data-live')).toBe('down');
    const before = requests.length;
    await o.context.setOffline(false);
    await o.page.waitForSelector('body[data-live="open"]');
    await shown(o.page, 'and another one').waitFor();
    await newMessage(app, friend, room.id, { body: 'back online' });
    await shown(o.page, 'back online').waitFor();

    expect(await messageText(o.page)).toEqual([
      'before the drop',
      'while you were away',
      'and another one',
      'back online',
    ]);
    const reads = requests.slice(before).filter((sent) => sent.method === 'GET' && sent.url.includes('/messages'));
    expect(reads).toEqual([]);
    const resumed = sockets.at(-1)!;
    expect(sockets.length).toBeGreaterThanOrEqual(2);
    expect(resumed[0]).toEqual({ action: 'resume', ref: expect.any(String), rooms: { [room.id]: expect.any(Number) } });
    expect(await o.page.getByRole('status').filter({ hasText: 'Reconnecting…' }).isVisible()).toBe(false);
  });

  it("should fill a gap in the room's changes by resuming from the last one applied", async () => {
    const { owner, friend, room } = await pair();
    const o = await browser.visitor(app, owner);
    const fromPage: Record<string, unknown>[] = [];
    let dropped = false;
    // Between page and server, one change frame goes missing, as one lost by a broker would.
    await o.page.routeWebSocket(/\/api\/v1\/chat\/ws\//, (page) => {
      const server = page.connectToServer();
      page.onMessage((message) => {
        fromPage.push(JSON.parse(message.toString()) as Record<string, unknown>);
        server.send(message);
      });
      server.onMessage((message) => {
        const frame = JSON.parse(message.toString()) as { seq?: number; messages?: { body: string }[] };
        if (!dropped && frame.seq !== undefined && frame.messages?.some((sent) => sent.body === 'lost on the way')) {
          dropped = true;
          return;
        }
        page.send(message);
      });
    });
    await openRoom(o.page, room.id);

    await newMessage(app, friend, room.id, { body: 'lost on the way' });
    await newMessage(app, friend, room.id, { body: 'the next one' });
    await shown(o.page, 'the next one').waitFor();
    await shown(o.page, 'lost on the way').waitFor();
    expect(dropped).toBe(true);
    expect(await messageText(o.page)).toEqual(['lost on the way', 'the next one']);
    // One resume on opening, one for the gap.
    expect(actions(fromPage).filter((action) => action === 'resume')).toHaveLength(2);
  });

  it('should follow changes to the room, and say so and stop when it is deleted', async () => {
    const { owner, friend, room } = await pair();
    const f = await browser.visitor(app, friend);
    await openRoom(f.page, room.id);

    await api(app, owner.token).patch(`/api/v1/chat/rooms/${room.id}/`, { title: 'Renamed room' });
    await f.page.getByRole('heading', { name: 'Renamed room' }).waitFor();
    await api(app, owner.token).delete(`/api/v1/chat/rooms/${room.id}/`);
    await f.page.getByRole('alert').filter({ hasText: 'This room was deleted' }).waitFor();
    expect(await f.page.getByRole('textbox', { name: 'Message' }).isDisabled()).toBe(true);
    expect(await f.page.getByRole('article').count()).toBe(0);
  });

  it('should send a message over the socket and show it exactly once after its echo', async () => {
    const { owner, friend, room } = await pair();
    const o = await browser.visitor(app, owner);
    const f = await browser.visitor(app, friend);
    const { requests, sockets } = record(o.page);
    await openRoom(o.page, room.id);
    await openRoom(f.page, room.id);

    await say(o.page, 'Hello over the socket');
    await o.page.keyboard.press('Enter');
    await shown(o.page, 'Hello over the socket').waitFor();
    // The friend's answer comes after the echo of the first message on the same socket.
    await shown(f.page, 'Hello over the socket').waitFor();
    await say(f.page, 'Got it');
    await f.page.keyboard.press('Enter');
    await shown(o.page, 'Got it').waitFor();

    expect(await messageText(o.page)).toEqual(['Hello over the socket', 'Got it']);
    expect(await messageText(f.page)).toEqual(['Hello over the socket', 'Got it']);
    expect(await o.page.locator('[data-local="true"]').count()).toBe(0);
    const sent = sockets[0].find((frame) => frame.action === 'send')!;
    expect(sent).toEqual({
      action: 'send',
      ref: expect.any(String),
      room_id: room.id,
      body: 'Hello over the socket',
      client_id: expect.stringMatching(/^[A-Za-z0-9_-]{1,64}$/),
    });
    expect(requests.filter((request) => request.method === 'POST' && request.url.includes('/messages'))).toEqual([]);
    const history = await api(app, owner.token).get(`/api/v1/chat/rooms/${room.id}/messages/`);
    expect(history.body.results.map((message: { client_id: string | null }) => message.client_id)).toEqual([
      expect.any(String),
      sent.client_id,
    ]);
  });

  it('should keep a message that could not be sent, and send it once on retry', async () => {
    const { owner, room } = await pair();
    const o = await browser.visitor(app, owner);
    const { requests } = record(o.page);
    await openRoom(o.page, room.id);

    await o.context.setOffline(true);
    await o.page.waitForSelector('body[data-live="down"]', { timeout: 5_000 });
    await say(o.page, 'Sent later');
    await o.page.keyboard.press('Enter');
    const failed = shown(o.page, 'Sent later');
    await failed.getByText('Not sent').waitFor();
    await o.page.screenshot({ path: join(ARTIFACTS, 'room-send-failed.png') });
    // Down, it went over REST, which failed too.
    expect(requests.filter((request) => request.method === 'POST' && request.url.includes('/messages'))).toHaveLength(
      1,
    );

    await o.context.setOffline(false);
    await o.page.waitForSelector('body[data-live="open"]');
    await failed.getByRole('button', { name: 'Retry sending' }).click();
    await o.page.locator('[data-local="true"]').waitFor({ state: 'detached' });
    expect(await messageText(o.page)).toEqual(['Sent later']);
    const history = await api(app, owner.token).get(`/api/v1/chat/rooms/${room.id}/messages/`);
    expect(history.body.results.map((message: { body: string }) => message.body)).toEqual(['Sent later']);
  });

  it('should show who else is typing, until their message comes', async () => {
    const { owner, friend, room } = await pair();
    const o = await browser.visitor(app, owner);
    const f = await browser.visitor(app, friend);
    await openRoom(o.page, room.id);
    await openRoom(f.page, room.id);

    await f.page.getByRole('textbox', { name: 'Message' }).pressSequentially('Just a sec');
    await o.page.getByText('Felix is typing…').waitFor();
    await o.page.screenshot({ path: join(ARTIFACTS, 'room-typing.png') });
    expect(await f.page.getByText('is typing…').count()).toBe(0);
    await f.page.keyboard.press('Enter');
    await shown(o.page, 'Just a sec').waitFor();
    await o.page.getByText('Felix is typing…').waitFor({ state: 'detached' });
  });

  it('should make http(s) addresses in bodies links, and react with a picked emoji', async () => {
    const { owner, friend, room } = await pair();
    const first = await newMessage(app, owner, room.id, {
      body: 'read https://example.com/page?x=1. not javascript:alert(1)',
    });
    const o = await browser.visitor(app, owner);
    await openRoom(o.page, room.id);
    const log = o.page.getByRole('log', { name: 'Messages' });
    const rendered = log.locator(`#m-${first.id} .msg__body a`);
    expect(await rendered.count()).toBe(1);
    expect(await rendered.getAttribute('href')).toBe('https://example.com/page?x=1');
    expect(await rendered.getAttribute('rel')).toBe('noopener noreferrer');
    expect(await rendered.getAttribute('target')).toBe('_blank');
    expect(await log.locator(`#m-${first.id} .msg__body`).textContent()).toBe(first.body);

    // A live message gets the same treatment.
    const live = await newMessage(app, friend, room.id, { body: 'and http://example.org/b' });
    await shown(o.page, 'and http://example.org/b').waitFor();
    expect(await log.locator(`#m-${live.id} .msg__body a`).getAttribute('href')).toBe('http://example.org/b');

    // The picker offers a few emoji beside the like; picking one reacts with it.
    const article = log.locator(`#m-${live.id}`);
    await article.hover();
    await article.getByTitle('React', { exact: true }).click();
    await article.getByTitle('React with 🎉').click();
    await article.locator('.msg__reactions .reaction', { hasText: '🎉' }).waitFor();
    const stored = await api(app, owner.token).get(`/api/v1/chat/rooms/${room.id}/messages/${live.id}/`);
    expect(stored.body.reaction_counts).toEqual([expect.objectContaining({ body: '🎉', count: 1, is_mine: true })]);
  });

  it("should keep unread counts in step across the reader's tabs", async () => {
    const { owner, friend, room } = await pair();
    const o = await browser.visitor(app, owner);
    const lobby = o.page;
    const { requests } = record(lobby);
    await lobby.goto(`${app.url}/chat/`);
    await lobby.waitForSelector('body[data-live="open"]');

    // A tab of the room that is in the background: it marks nothing seen itself.
    const background = await browser.newTab(o);
    await openRoom(background, room.id);
    await background.evaluate(
      "Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' })",
    );
    const first = await newMessage(app, friend, room.id, { body: 'Are you there?' });
    await newMessage(app, friend, room.id, { body: 'Hello?' });
    const item = lobby.locator(`.room-item[data-room-id="${room.id}"]`);
    const badge = item.locator('.count');
    await item.getByLabel('2 new messages').waitFor();
    await shown(background, 'Hello?').waitFor();
    expect(await shown(background, 'Are you there?').getAttribute('data-seen')).toBe('false');

    // The reader opens the room in another tab and reads: the lobby and the background tab follow.
    const before = requests.length;
    const reading = await browser.newTab(o);
    const { sockets } = record(reading);
    await openRoom(reading, room.id);
    await badge.waitFor({ state: 'hidden' });
    expect(await badge.textContent()).toBe('0');
    await background.locator(`#m-${first.id}[data-seen="true"]`).waitFor();
    expect(await shown(background, 'Hello?').getAttribute('data-seen')).toBe('true');
    expect(actions(sockets[0])).toContain('seen');
    expect(requests.slice(before).filter((sent) => sent.url.includes('/api/v1/chat/rooms'))).toEqual([]);
    expect((await api(app, owner.token).get(`/api/v1/chat/rooms/${room.id}/`)).body.message_new_count).toBe(0);
  });
});

describe('live pages with short page tokens', () => {
  let app: TestApp;
  let browser: TestBrowser;

  beforeAll(async () => {
    browser = await TestBrowser.launch();
    app = await startIsolatedApp({ PAGE_TOKEN_SECONDS: '3', PRESENCE_GRACE_MS: '0' });
  });

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  it('should hold only a page token, and carry on past its expiry with a renewed one', async () => {
    const owner = await newUser(app, { first_name: 'Olivia' });
    const friend = await newUser(app, { first_name: 'Felix' });
    const room = (await newRoom(app, owner, { title: 'Short tokens', users: [friend] })) as { id: string };
    const o = await browser.visitor(app, owner);
    await o.page.goto(`${app.url}/chat/${room.id}/`);
    await o.page.waitForSelector('body[data-live="open"]');
    const held: string[] = await o.page.evaluate('Object.values(sessionStorage)');
    const tokens = held.map((value) => (JSON.parse(value) as { token: string }).token);
    expect(tokens).toHaveLength(1);
    expect(tokens[0]).not.toBe(owner.token);
    const claims = JSON.parse(Buffer.from(tokens[0].split('.')[1], 'base64url').toString()) as Record<string, number>;
    expect(claims.exp - claims.iat).toBeLessThanOrEqual(3);

    // Past two lifetimes of the first token: the page renewed it, over REST and on its socket.
    await new Promise((done) => setTimeout(done, 7000));
    await newMessage(app, friend, room.id, { body: 'still hearing you' });
    await o.page
      .getByRole('log', { name: 'Messages' })
      .getByRole('article')
      .filter({ hasText: 'still hearing you' })
      .waitFor();
    await o.page.getByRole('textbox', { name: 'Message' }).fill('and still talking');
    await o.page.keyboard.press('Enter');
    await o.page
      .getByRole('log', { name: 'Messages' })
      .getByRole('article')
      .filter({ hasText: 'and still talking' })
      .waitFor();
    // Shown at once, stored once its send is answered: the page's own copy is then replaced by the stored one.
    await o.page.locator('[data-local="true"]').first().waitFor({ state: 'detached' });
    const history = await api(app, friend.token).get(`/api/v1/chat/rooms/${room.id}/messages/`);
    expect(history.body.results.map((message: { body: string }) => message.body)).toContain('and still talking');
    expect(await browser.closeVisitors()).toEqual({ dialogs: [], errors: [] });
  }, 60_000);
});
