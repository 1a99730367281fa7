import { startIsolatedApp, TestApp } from './helpers/app';
import { api } from './helpers/api';
import { TestBrowser } from './helpers/browser';
import { newUser, TestUser } from './helpers/factories';

describe('search in the pages', () => {
  let app: TestApp;
  let browser: TestBrowser;

  beforeAll(async () => {
    browser = await TestBrowser.launch();
    app = await startIsolatedApp();
  });

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  afterEach(async () => {
    expect(await browser.closeVisitors()).toEqual({ dialogs: [], errors: [] });
  });

  const visitor = (user: TestUser) => browser.visitor(app, user);

  async function newRoom(owner: TestUser, title: string) {
    const response = await api(app, owner.token).post('/api/v1/chat/rooms/', { title, is_public: false });
    expect(response.status).toBe(201);
    return response.body as { id: string };
  }

  async function post(user: TestUser, roomId: string, body: string) {
    const response = await api(app, user.token).post(`/api/v1/chat/rooms/${roomId}/messages/`, { body });
    expect(response.status).toBe(201);
    return response.body as { id: string };
  }

  it('should find messages from the lobby, highlight the words, and open the room at an old one', async () => {
    const owner = await newUser(app);
    const room = await newRoom(owner, 'Garden club');
    const old = await post(owner, room.id, 'Plant the <b>tulip</b> bulbs before the frost, tulip lovers');
    for (let i = 1; i <= 120; i++) {
      await post(owner, room.id, `filler ${i}`);
    }
    const o = await visitor(owner);
    await o.page.goto(`${app.url}/chat/`);
    await o.page.waitForSelector('body[data-live="open"]');

    const search = o.page.getByRole('search');
    await search.getByLabel('Search messages').fill('tulip');
    await search.getByRole('button', { name: 'Search' }).click();
    await o.page.getByRole('status').filter({ hasText: '1 message found.' }).waitFor();
    const results = o.page.getByRole('list', { name: 'Messages found' });
    const hit = results.getByRole('link');
    expect(await hit.count()).toBe(1);
    expect(await hit.textContent()).toContain('Garden club');
    expect(await hit.textContent()).toContain('Plant the <b>tulip</b> bulbs before the frost, tulip lovers');
    expect(await results.locator('mark').allTextContents()).toEqual(['tulip', 'tulip']);
    expect(await results.locator('b').count()).toBe(0);

    await o.page.getByRole('searchbox', { name: 'Search messages' }).fill('nothing-like-this');
    await o.page.getByRole('searchbox', { name: 'Search messages' }).press('Enter');
    await o.page.getByRole('status').filter({ hasText: 'No messages found.' }).waitFor();
    await o.page.getByRole('searchbox', { name: 'Search messages' }).fill('tulip');
    await o.page.getByRole('searchbox', { name: 'Search messages' }).press('Enter');
    await o.page.getByRole('status').filter({ hasText: '1 message found.' }).waitFor();

    await results.getByRole('link').click();
    await o.page.waitForURL(`${app.url}/chat/${room.id}/#m-${old.id}`);
    const found = o.page.locator(`#m-${old.id}`);
    await found.waitFor();
    await o.page.waitForFunction(`document.activeElement?.id === 'm-${old.id}'`);
    expect(await found.getAttribute('class')).toContain('msg--found');
    expect(await found.isVisible()).toBe(true);
    const box = (await found.boundingBox())!;
    const log = (await o.page.locator('#log').boundingBox())!;
    expect(box.y + box.height).toBeGreaterThan(log.y);
    expect(box.y).toBeLessThan(log.y + log.height);
  });

  it('should say what is wrong with a query the API refuses', async () => {
    const owner = await newUser(app);
    const o = await visitor(owner);
    await o.page.goto(`${app.url}/chat/`);
    await o.page.waitForSelector('body[data-live="open"]');
    const searchbox = o.page.getByRole('searchbox', { name: 'Search messages' });
    await searchbox.evaluate((input) => input.removeAttribute('maxlength'));
    await searchbox.fill('x'.repeat(300));
    await o.page.getByRole('button', { name: 'Search' }).click();
    await o.page.getByRole('status').filter({ hasText: 'q must be at most 256 characters long' }).waitFor();
  });
});
