import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { startIsolatedApp, TestApp } from './helpers/app';
import { api, errorCodes, request } from './helpers/api';
import { DESKTOP, TestBrowser, Visitor, waitFor } from './helpers/browser';
import { newUser, TestUser } from './helpers/factories';

const ARTIFACTS = resolve(__dirname, '..', 'test-artifacts', 'pages');
const VIEWS = resolve(__dirname, '..', 'views');
const PHONE = { width: 390, height: 844 };
const HOSTILE = {
  title: `<script>alert('title')</script><b>Title</b>`,
  body: `<img src=x onerror="alert('body')"> & <b>bold</b>`,
  name: `<svg onload=alert('name')>Mallory`,
};

describe('pages', () => {
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

  const visitor = (user?: TestUser, viewport = DESKTOP) => browser.visitor(app, user, viewport);

  async function openRoom(who: Visitor, roomId: string): Promise<void> {
    await who.page.goto(`${app.url}/chat/${roomId}/`);
    await who.page.waitForSelector('body[data-live="open"]');
  }

  async function newRoom(owner: TestUser, fields: Record<string, unknown> = {}) {
    const response = await api(app, owner.token).post('/api/v1/chat/rooms/', { title: 'Room', ...fields });
    expect(response.status).toBe(201);
    return response.body as { id: string; title: string };
  }

  async function post(user: TestUser, roomId: string, body: string) {
    const response = await api(app, user.token).post(`/api/v1/chat/rooms/${roomId}/messages/`, { body });
    expect(response.status).toBe(201);
    return response.body as { id: string };
  }

  const messageText = (page: Page) => page.locator('#messages .msg__body').allTextContents();
  const screenshot = (page: Page, name: string) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`) });

  describe('over HTTP', () => {
    it('should send a strict Content-Security-Policy, nosniff and no-referrer with every page', async () => {
      const owner = await newUser(app);
      const room = await newRoom(owner);
      for (const path of ['/chat/', `/chat/${room.id}/?token=${owner.token}`, `/chat/${room.id}/`]) {
        const response = await request(app, 'GET', path);
        const csp = response.headers.get('content-security-policy') ?? '';
        expect(csp).toContain("script-src 'self'");
        expect(csp).toContain("style-src 'self'");
        expect(csp).toContain("default-src 'none'");
        expect(csp).toContain("frame-ancestors 'none'");
        expect(csp).toContain(`connect-src 'self' ws://${new URL(app.url).host} wss://${new URL(app.url).host};`);
        expect(csp).not.toContain('unsafe-inline');
        expect(csp).not.toContain('unsafe-eval');
        expect(response.headers.get('x-content-type-options')).toBe('nosniff');
        expect(response.headers.get('referrer-policy')).toBe('no-referrer');
        expect(response.headers.get('cache-control')).toBe('no-store');
        expect(response.headers.get('content-type')).toContain('text/html');
        expect(response.body).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
        expect(response.body).not.toMatch(/\son[a-z]+=/i);
        expect(response.body).not.toMatch(/\sstyle=/i);
      }
    });

    it('should serve the scripts and styles under a content version, cached for good and never sniffed', async () => {
      const page = await request(app, 'GET', '/chat/');
      const assets = [...(page.body as string).matchAll(/(?:src|href)="(\/static\/[^"]+)"/g)].map((match) => match[1]);
      expect(assets).toEqual(
        expect.arrayContaining([expect.stringMatching(/^\/static\/[0-9a-f]{12}\/js\/signin\.js$/)]),
      );
      for (const asset of assets) {
        const response = await request(app, 'GET', asset);
        expect(response.status).toBe(200);
        expect(response.headers.get('cache-control')).toContain('immutable');
        expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      }
      const script = assets.find((asset) => asset.endsWith('.js'))!;
      expect((await request(app, 'GET', script)).headers.get('content-type')).toContain('javascript');
      const stale = script.replace(/\/static\/[0-9a-f]{12}\//, '/static/000000000000/');
      expect((await request(app, 'GET', stale)).status).toBe(404);
    });

    it('should answer a room page with the sign-in page and no part of the room to who may not see it', async () => {
      const owner = await newUser(app);
      const outsider = await newUser(app);
      const room = await newRoom(owner, { title: 'Secret plans', description: 'top secret', is_public: false });
      await post(owner, room.id, 'the launch code is 1234');
      const other = await newRoom(outsider, { title: 'Outsider corner' });

      const cases: [string, Record<string, string>, number][] = [
        [`/chat/${room.id}/`, {}, 401],
        [`/chat/${room.id}/?token=garbage`, {}, 401],
        [`/chat/${room.id}/`, { cookie: 'dfchat_session=garbage' }, 401],
        [`/chat/${room.id}/?token=${outsider.token}`, {}, 404],
        [`/chat/${room.id}/`, { cookie: `dfchat_session=${outsider.token}` }, 404],
        [`/chat/00000000-0000-4000-8000-000000000000/?token=${owner.token}`, {}, 404],
        [`/chat/not-an-id/?token=${owner.token}`, {}, 404],
      ];
      for (const [path, headers, status] of cases) {
        const response = await request(app, 'GET', path, { headers });
        expect(response.status).toBe(status);
        expect(response.headers.get('content-type')).toContain('text/html');
        expect(response.body).toContain('id="signin-form"');
        for (const secret of ['Secret plans', 'top secret', 'launch code', room.id, 'Outsider corner']) {
          expect(response.body).not.toContain(secret);
        }
      }
      const allowed = await request(app, 'GET', `/chat/${room.id}/`, {
        headers: { cookie: `dfchat_session=${owner.token}` },
      });
      expect(allowed.status).toBe(200);
      expect(allowed.body).toContain('Secret plans');
      expect(allowed.body).toContain('the launch code is 1234');
      expect(allowed.body).not.toContain(other.title);
    });

    it('should set the session cookie HttpOnly and SameSite=Strict only for a valid token, and clear it', async () => {
      const user = await newUser(app);
      const started = await api(app).post('/chat/session', { token: user.token });
      expect(started.status).toBe(204);
      const cookie = started.headers.get('set-cookie') ?? '';
      expect(cookie).toMatch(/^dfchat_session=[^;]+;/);
      expect(cookie).toMatch(/HttpOnly/i);
      expect(cookie).toMatch(/SameSite=Strict/i);
      expect(cookie).toMatch(/Path=\/chat/);
      expect(cookie).toMatch(/Max-Age=\d+/);

      for (const body of [{ token: 'garbage' }, { token: user.token.slice(0, -2) }]) {
        const refused = await api(app).post('/chat/session', body);
        expect(refused.status).toBe(401);
        expect(refused.headers.get('set-cookie')).toBeNull();
        expect(errorCodes(refused)).toEqual(['not_authenticated']);
      }
      for (const body of [{}, { token: 42 }, { token: user.token, extra: 1 }]) {
        const invalid = await api(app).post('/chat/session', body);
        expect(invalid.status).toBe(400);
        errorCodes(invalid);
      }

      const ended = await api(app).delete('/chat/session');
      expect(ended.status).toBe(204);
      expect(ended.headers.get('set-cookie')).toMatch(/^dfchat_session=;.*Expires=Thu, 01 Jan 1970/);
    });

    it('should hand the page scripts a short-lived page token, only with the cookie, never the session token', async () => {
      const user = await newUser(app);
      const withCookie = await api(app).get('/chat/session', { headers: { cookie: `dfchat_session=${user.token}` } });
      expect(withCookie.status).toBe(200);
      const { token, expires_in: expiresIn } = withCookie.body as { token: string; expires_in: number };
      expect(token).not.toBe(user.token);
      expect(expiresIn).toBeGreaterThan(0);
      expect(expiresIn).toBeLessThanOrEqual(600);
      const claims = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()) as Record<
        string,
        number | string
      >;
      expect(claims).toMatchObject({ sub: user.id, scope: 'page' });
      expect(Number(claims.exp) - Number(claims.iat)).toBe(expiresIn);
      expect(withCookie.headers.get('cache-control')).toBe('no-store');
      // It works for the API, and cannot become a page session of its own.
      expect((await api(app, token).get('/api/v1/auth/users/me/')).status).toBe(200);
      const promoted = await api(app).post('/chat/session', { token });
      expect(promoted.status).toBe(401);
      expect(errorCodes(promoted)).toEqual(['not_authenticated']);
      const refused: Record<string, string>[] = [
        {},
        { cookie: 'dfchat_session=garbage' },
        { authorization: `Bearer ${user.token}` },
      ];
      for (const headers of refused) {
        const response = await api(app).get('/chat/session', { headers });
        expect(response.status).toBe(401);
        expect(errorCodes(response)).toEqual(['not_authenticated']);
      }
    });

    it('should find a user by username for a signed-in caller, without their email', async () => {
      const caller = await newUser(app);
      const wanted = await newUser(app, { first_name: 'Wanda' });
      const found = await api(app, caller.token).get(`/chat/users/${wanted.username.toUpperCase()}`);
      expect(found.status).toBe(200);
      expect(found.body).toEqual({ id: wanted.id, username: wanted.username, first_name: 'Wanda' });
      expect(errorCodes(await api(app, caller.token).get('/chat/users/nobody_at_all'))).toEqual(['not_found']);
      expect((await api(app).get(`/chat/users/${wanted.username}`)).status).toBe(401);
      expect(
        (
          await api(app).get(`/chat/users/${wanted.username}`, {
            headers: { cookie: `dfchat_session=${caller.token}` },
          })
        ).status,
      ).toBe(401);
    });

    it('should keep the page routes out of the OpenAPI schema', async () => {
      const schema = await api(app).get('/api/v1/schema/');
      expect(Object.keys(schema.body.paths).filter((path) => path.startsWith('/chat'))).toEqual([]);
    });

    it('should escape all content in the templates: none uses the unescaped triple-stash', () => {
      const templates = (dir: string): string[] =>
        readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
          entry.isDirectory()
            ? templates(join(dir, entry.name))
            : entry.name.endsWith('.hbs')
              ? [join(dir, entry.name)]
              : [],
        );
      const files = templates(VIEWS);
      expect(files.length).toBeGreaterThan(3);
      for (const file of files) {
        expect(readFileSync(file, 'utf8')).not.toContain('{{{');
      }
    });
  });

  describe('in a browser', () => {
    it('should sign in with a form sent while the page is still asking whether there is a session', async () => {
      const alice = await newUser(app, { first_name: 'Alice' });
      const v = await visitor();
      let releaseCheck!: () => void;
      const checkHeld = new Promise<void>((resolve) => (releaseCheck = resolve));
      let checks = 0;
      await v.page.route('**/chat/session', async (route) => {
        // The sign-in page's own check is held; the lobby's page token after the sign-in is not.
        if (route.request().method() === 'GET' && ++checks === 1) {
          await checkHeld;
        }
        await route.continue().catch(() => undefined);
      });
      const requested: string[] = [];
      v.page.on('request', (sent) => requested.push(sent.url()));
      try {
        await v.page.goto(`${app.url}/chat/`, { waitUntil: 'domcontentloaded' });
        expect(await waitFor(() => Promise.resolve(checks > 0))).toBe(true);
        await v.page.fill('#signin-form [name=username]', alice.username);
        await v.page.fill('#signin-form [name=password]', alice.password);
        await v.page.click('#signin-form button[type=submit]');
        await v.page.waitForSelector('body.page--lobby[data-live="open"]');
      } finally {
        releaseCheck();
      }
      expect(requested.filter((url) => url.includes('password'))).toEqual([]);
    });

    it('should sign in, create a private room with a member chosen by username, and enter it', async () => {
      const alice = await newUser(app, { first_name: 'Alice' });
      const bob = await newUser(app, { first_name: 'Bob' });
      const a = await visitor();
      await a.page.goto(`${app.url}/chat/`);
      await a.page.fill('#signin-form [name=username]', alice.username);
      await a.page.fill('#signin-form [name=password]', 'wrong password');
      await a.page.click('#signin-form button[type=submit]');
      await a.page.waitForSelector('#signin-form .form__error:not([hidden])');
      await a.page.fill('#signin-form [name=password]', alice.password);
      await a.page.click('#signin-form button[type=submit]');
      await a.page.waitForSelector('body.page--lobby[data-live="open"]');
      const cookies = await a.context.cookies();
      expect(cookies.find((cookie) => cookie.name === 'dfchat_session')).toMatchObject({
        httpOnly: true,
        sameSite: 'Strict',
      });

      await a.page.click('#new-room-toggle');
      await a.page.fill('#new-room [name=title]', 'Book club');
      await a.page.fill('#new-room [name=description]', 'Monthly reads');
      await a.page.check('#new-room [name=visibility][value=private]');
      await a.page.fill('#member-username', 'no_such_user');
      await a.page.press('#member-username', 'Enter');
      await a.page.waitForSelector('#new-room .form__error:not([hidden])');
      await a.page.fill('#member-username', bob.username);
      await a.page.press('#member-username', 'Enter');
      await a.page.waitForSelector(`#member-chips .chip[data-user-id="${bob.id}"]`);
      await a.page.click('#new-room button[type=submit]');
      await a.page.waitForURL(/\/chat\/[0-9a-f-]{36}\/$/);
      await a.page.waitForSelector('body[data-live="open"]');
      expect(await a.page.textContent('#room-title')).toBe('Book club');
      expect(await a.page.locator('#member-list .member__name').allTextContents()).toEqual(
        expect.arrayContaining(['Alice', 'Bob']),
      );
      const roomId = await a.page.getAttribute('body', 'data-room-id');
      const room = await api(app, bob.token).get(`/api/v1/chat/rooms/${roomId}/`);
      expect(room.body).toMatchObject({
        title: 'Book club',
        is_public: false,
        users: expect.arrayContaining([bob.id]),
      });

      await a.page.click('a[href="/chat/"]');
      await a.page.waitForSelector(`.room-item[data-room-id="${roomId}"]`);
      await a.page.click('#sign-out');
      await a.page.waitForSelector('#signin-form');
      expect((await a.context.cookies()).find((cookie) => cookie.name === 'dfchat_session')).toBeUndefined();
    });

    it('should let two people chat live: messages, likes, images, presence, edits, deletions and unread counts', async () => {
      const alice = await newUser(app, { first_name: 'Alice' });
      const bob = await newUser(app, { first_name: 'Bob' });
      const room = await newRoom(alice, { title: 'Weekend plans', description: 'Hiking?', users: [bob.id] });
      const a = await visitor(alice);
      const b = await visitor(bob);

      // Bob waits in the room list; Alice opens the room.
      await b.page.goto(`${app.url}/chat/`);
      await b.page.waitForSelector('body[data-live="open"]');
      await openRoom(a, room.id);
      await a.page.waitForSelector(`#member-list .member--online[data-user-id="${alice.id}"]`);

      await a.page.fill('#body', 'Hi Bob!\nShall we go hiking?');
      await a.page.press('#body', 'Enter');
      await a.page.waitForSelector('#messages .msg--mine');
      expect(await a.page.inputValue('#body')).toBe('');
      const bobsItem = b.page.locator(`.room-item[data-room-id="${room.id}"]`);
      await bobsItem.locator('.count:not([hidden])').waitFor();
      expect(await bobsItem.locator('.count').textContent()).toBe('1');
      expect(await bobsItem.locator('.room-item__snippet').textContent()).toBe('Hi Bob! Shall we go hiking?');
      await screenshot(b.page, 'lobby-bob-desktop');

      // Bob enters: the message is there, rendered by the server, and gets marked seen.
      await bobsItem.locator('a').click();
      await b.page.waitForSelector('body[data-live="open"]');
      expect(await messageText(b.page)).toEqual(['Hi Bob!\nShall we go hiking?']);
      await expect(
        waitFor(
          async () => (await api(app, bob.token).get(`/api/v1/chat/rooms/${room.id}/`)).body.message_new_count === 0,
        ),
      ).resolves.toBe(true);
      await a.page.waitForSelector(`#member-list .member--online[data-user-id="${bob.id}"]`);

      // Bob answers with Shift+Enter for a new line; Alice sees it live.
      await b.page.fill('#body', 'Yes!');
      await b.page.press('#body', 'Shift+Enter');
      await b.page.type('#body', 'Saturday?');
      await b.page.press('#body', 'Enter');
      const answer = a.page.locator('#messages .msg:not(.msg--mine) .msg__body', { hasText: 'Saturday?' });
      await answer.waitFor();
      expect(await answer.textContent()).toBe('Yes!\nSaturday?');
      expect(await a.page.locator('#messages .msg:not(.msg--mine) .msg__author').first().textContent()).toBe('Bob');

      // Alice likes Bob's message; Bob sees the count.
      const bobsMessage = a.page.locator('#messages .msg:not(.msg--mine)').last();
      await bobsMessage.hover();
      await bobsMessage.locator('.msg__tool[data-action=like]').click();
      await bobsMessage.locator('.reaction--like[aria-pressed="true"] .reaction__count:text-is("1")').waitFor();
      await b.page.locator('#messages .msg--mine .reaction--like .reaction__count:text-is("1")').waitFor();

      // Alice attaches an image with a preview; both see it in the log.
      const png = await sharp({ create: { width: 120, height: 80, channels: 3, background: '#3b82f6' } })
        .png()
        .toBuffer();
      await a.page.setInputFiles('#file', { name: 'trail.png', mimeType: 'image/png', buffer: png });
      await a.page.waitForSelector('#attachments:not([hidden]) .attachment img[src^="blob:"]');
      await a.page.fill('#body', 'The trail map');
      await a.page.press('#body', 'Enter');
      await a.page.waitForSelector('#attachments', { state: 'hidden' });
      const image = b.page.locator('#messages .msg__image img[alt="trail.png"]');
      await image.waitFor();
      const loaded = () => image.evaluate((node: any) => node.complete && node.naturalWidth === 120);
      expect(await waitFor(loaded)).toBe(true);
      expect(await b.page.locator('#messages .msg').last().locator('.msg__body').textContent()).toBe('The trail map');

      // Alice edits, then deletes, her first message; Bob sees both.
      const first = a.page.locator('#messages .msg--mine').first();
      await first.hover();
      await first.locator('[data-action=edit]').click();
      await first.locator('.msg__edit-input').fill('Hi Bob! Hiking on Saturday?');
      await first.locator('.msg__edit-input').press('Enter');
      await b.page.waitForSelector('#messages .msg__body:text-is("Hi Bob! Hiking on Saturday?")');
      expect(await b.page.locator('#messages .msg').first().locator('.msg__edited').count()).toBe(1);

      await screenshot(a.page, 'room-alice-desktop');
      await screenshot(b.page, 'room-bob-desktop');

      const edited = a.page.locator('#messages .msg--mine').first();
      await edited.hover();
      await edited.locator('[data-action=delete]').click();
      await edited.locator('.msg__confirm .btn--danger').click();
      await b.page.waitForSelector('#messages .msg__body:text-is("Hi Bob! Hiking on Saturday?")', {
        state: 'detached',
      });

      // Mute is the reader's own setting.
      await b.page.click('#mute');
      await b.page.waitForSelector('#mute[aria-pressed="true"]');
      expect((await api(app, bob.token).get(`/api/v1/chat/rooms/${room.id}/`)).body.is_muted).toBe(true);

      // Bob leaves the page: Alice sees him go offline.
      await b.page.goto('about:blank');
      await a.page.waitForSelector(`#member-list .member[data-user-id="${bob.id}"]:not(.member--online)`);
    });

    it('should load older history while scrolling up', async () => {
      const owner = await newUser(app);
      const room = await newRoom(owner, { title: 'Long history' });
      for (let i = 1; i <= 120; i++) {
        await post(owner, room.id, `message ${i}`);
      }
      const o = await visitor(owner);
      const requests: string[] = [];
      o.page.on('request', (sent) => requests.push(sent.url()));
      await openRoom(o, room.id);
      expect(await o.page.locator('#messages .msg').count()).toBe(50);
      expect((await messageText(o.page)).at(-1)).toBe('message 120');

      for (let round = 0; round < 10 && (await o.page.locator('.log__start').isHidden()); round++) {
        await o.page.locator('#log').evaluate((log) => log.scrollTo(0, 0));
        await o.page.waitForTimeout(300);
      }
      await o.page.waitForSelector('.log__start:not([hidden])');
      const texts = await messageText(o.page);
      expect(texts).toEqual(Array.from({ length: 120 }, (_, i) => `message ${i + 1}`));
      expect(requests.filter((url) => url.includes('/messages/?before=')).length).toBeGreaterThanOrEqual(2);
    });

    it('should show hostile titles, messages and names as text and run none of them', async () => {
      const mallory = await newUser(app, { first_name: HOSTILE.name });
      const reader = await newUser(app);
      const room = await newRoom(mallory, { title: HOSTILE.title, description: HOSTILE.body, users: [reader.id] });
      await post(mallory, room.id, HOSTILE.body);

      const r = await visitor(reader);
      await r.page.goto(`${app.url}/chat/`);
      await r.page.waitForSelector('body[data-live="open"]');
      const item = r.page.locator(`.room-item[data-room-id="${room.id}"]`);
      expect(await item.locator('.room-item__name').textContent()).toBe(HOSTILE.title);
      expect(await item.locator('.room-item__snippet').textContent()).toBe(HOSTILE.body);

      await openRoom(r, room.id);
      expect(await r.page.textContent('#room-title')).toBe(HOSTILE.title);
      expect(await r.page.textContent('#room-description')).toBe(HOSTILE.body);
      expect(await r.page.title()).toBe(`${HOSTILE.title} · df-chat`);
      expect(await messageText(r.page)).toEqual([HOSTILE.body]);
      expect(await r.page.locator('#messages .msg__author').first().textContent()).toBe(HOSTILE.name);
      await r.page.locator('#member-list .member__name', { hasText: 'Mallory' }).waitFor();

      // The same content arriving live, drawn by the page script.
      await post(mallory, room.id, `${HOSTILE.body} again`);
      await r.page.waitForSelector(`#messages .msg__body:text-is(${JSON.stringify(`${HOSTILE.body} again`)})`);
      expect(await r.page.locator('#messages .msg__author').last().textContent()).toBe(HOSTILE.name);
      await r.page.goto(`${app.url}/chat/`);
      await r.page.waitForSelector('body[data-live="open"]');
      await r.page.evaluate("document.dispatchEvent(new Event('visibilitychange'))");
      await r.page.waitForTimeout(500);
      expect(await r.page.locator(`.room-item[data-room-id="${room.id}"] .room-item__name`).textContent()).toBe(
        HOSTILE.title,
      );
      expect(await r.page.locator('img[src="x"], svg[onload], b').count()).toBe(0);
      await screenshot(r.page, 'lobby-hostile-desktop');
    });

    it('should refuse a private room to an outsider in the browser, and open it after signing in as a member', async () => {
      const owner = await newUser(app);
      const outsider = await newUser(app);
      const room = await newRoom(owner, { title: 'Members only', is_public: false });
      await post(owner, room.id, 'for members');

      const o = await visitor(outsider);
      const response = await o.page.goto(`${app.url}/chat/${room.id}/`);
      expect(response?.status()).toBe(404);
      expect(await o.page.locator('.notice').textContent()).toContain('may not see it');
      expect(await o.page.content()).not.toContain('Members only');
      expect(await o.page.content()).not.toContain('for members');

      await o.page.fill('#signin-form [name=username]', owner.username);
      await o.page.fill('#signin-form [name=password]', owner.password);
      await o.page.click('#signin-form button[type=submit]');
      await o.page.waitForSelector('#room-title');
      expect(await o.page.textContent('#room-title')).toBe('Members only');
      expect(await messageText(o.page)).toEqual(['for members']);
    });

    it('should open a ?token= link signed in and then drop the token from the address', async () => {
      const owner = await newUser(app);
      const room = await newRoom(owner, { title: 'Linked room' });
      const v = await visitor();
      const referers: (string | undefined)[] = [];
      v.page.on('request', (sent) => referers.push(sent.headers()['referer']));
      await v.page.goto(`${app.url}/chat/${room.id}/?token=${owner.token}`);
      await v.page.waitForSelector('body[data-live="open"]');
      expect(v.page.url()).toBe(`${app.url}/chat/${room.id}/`);
      expect(referers.filter((referer) => referer?.includes('token='))).toEqual([]);
      // The link became the session: a reload stays signed in.
      await v.page.reload();
      expect(await v.page.textContent('#room-title')).toBe('Linked room');
    });

    it('should take a signed-in visitor from a link on another site straight into the room', async () => {
      const owner = await newUser(app);
      const room = await newRoom(owner, { title: 'Linked from elsewhere' });
      const v = await visitor(owner);
      // about:blank is another site: the SameSite=Strict cookie does not go with the navigation itself.
      await v.page.setContent(`<a id="out" href="${app.url}/chat/${room.id}/">open</a>`);
      await v.page.click('#out');
      await v.page.waitForSelector('body[data-live="open"]');
      expect(await v.page.textContent('#room-title')).toBe('Linked from elsewhere');
    });

    it('should show an image as its placeholder, then its thumbnail, and open the full image on click', async () => {
      const alice = await newUser(app, { first_name: 'Alice' });
      const room = await newRoom(alice);
      const photo = await sharp({ create: { width: 2000, height: 1500, channels: 3, background: '#2f855a' } })
        .jpeg()
        .toBuffer();
      const upload = async (name: string) => {
        const form = new FormData();
        form.append('room_id', room.id);
        form.append('image', new Blob([new Uint8Array(photo)], { type: 'image/jpeg' }), name);
        const response = await request(app, 'POST', '/api/v1/chat/images/', { token: alice.token, raw: form });
        expect(response.status).toBe(201);
        return response.body as { image: string; thumbnail: string; placeholder: string };
      };
      const a = await visitor(alice);
      // Thumbnails wait until let through, so that the page is seen before they arrive.
      let letThrough: () => void = () => undefined;
      const thumbnailsHeld = new Promise<void>((done) => (letThrough = done));
      await a.page.route('**/media/images/*.webp', async (route) => {
        await thumbnailsHeld;
        await route.continue();
      });
      const thumbnailState = (name: string) =>
        a.page.getByRole('img', { name }).evaluate((node: any) => ({
          src: new URL(node.src).pathname,
          loaded: node.complete && node.naturalWidth > 0,
          naturalWidth: node.naturalWidth,
          box: [node.getBoundingClientRect().width, node.getBoundingClientRect().height],
          placeholder: node.parentElement.querySelector('img[alt=""]')?.src ?? null,
          placeholderLoaded: node.parentElement.querySelector('img[alt=""]')?.naturalWidth > 0,
        }));

      // Rendered by the server; then one arriving live, rendered by the page.
      const first = await upload('first.jpg');
      await a.page.goto(`${app.url}/chat/${room.id}/`, { waitUntil: 'domcontentloaded' });
      await a.page.waitForSelector('body[data-live="open"]');
      const second = await upload('second.jpg');
      await a.page.getByRole('img', { name: 'second.jpg' }).waitFor();

      for (const [name, image] of [
        ['first.jpg', first],
        ['second.jpg', second],
      ] as const) {
        const state = await thumbnailState(name);
        expect(state).toMatchObject({ src: image.thumbnail, loaded: false, placeholder: image.placeholder });
        expect(state.placeholderLoaded).toBe(true);
        // Its box is laid out before it loads: the image fitted in 320x240.
        expect(state.box).toEqual([320, 240]);
      }
      await screenshot(a.page, 'room-image-placeholders');
      letThrough();
      for (const name of ['first.jpg', 'second.jpg']) {
        expect(await waitFor(async () => (await thumbnailState(name)).loaded)).toBe(true);
        expect(await thumbnailState(name)).toMatchObject({ naturalWidth: 320, box: [320, 240] });
      }
      await screenshot(a.page, 'room-image-thumbnails');

      const [opened] = await Promise.all([
        a.context.waitForEvent('page'),
        a.page.getByRole('link', { name: 'first.jpg' }).click(),
      ]);
      await opened.waitForLoadState();
      expect(new URL(opened.url()).pathname).toBe(first.image);
      await opened.close();
    });

    it('should fit a phone screen', async () => {
      const alice = await newUser(app, { first_name: 'Alice' });
      const bob = await newUser(app, { first_name: 'Bob' });
      const room = await newRoom(alice, {
        title: 'Phone friendly room with a rather long title',
        description: 'Checking the layout on a narrow screen',
        users: [bob.id],
      });
      await post(
        bob,
        room.id,
        'Hello from a phone! This message is long enough to wrap over several lines on a narrow screen.',
      );
      await post(alice, room.id, 'Looks good to me');
      const a = await visitor(alice, PHONE);
      await a.page.goto(`${app.url}/chat/`);
      await a.page.waitForSelector('body[data-live="open"]');
      await screenshot(a.page, 'lobby-phone');
      await openRoom(a, room.id);
      const overflow = await a.page.evaluate('document.documentElement.scrollWidth - window.innerWidth');
      expect(overflow).toBeLessThanOrEqual(0);
      expect(await a.page.isVisible('#members')).toBe(true);
      const box = await a.page.locator('#members').boundingBox();
      expect(box!.x).toBeGreaterThanOrEqual(PHONE.width);
      await screenshot(a.page, 'room-phone');
      await a.page.click('#members-toggle');
      const drawerOpen = async () => {
        const drawer = await a.page.locator('#members').boundingBox();
        return drawer !== null && drawer.x + drawer.width <= PHONE.width;
      };
      expect(await waitFor(drawerOpen)).toBe(true);
      await a.page.waitForTimeout(250);
      await screenshot(a.page, 'room-phone-members');
      const signedOut = await visitor(undefined, PHONE);
      await signedOut.page.goto(`${app.url}/chat/`);
      await screenshot(signedOut.page, 'signin-phone');
    });
  });
});
