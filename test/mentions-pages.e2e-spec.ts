import { startIsolatedApp, TestApp } from './helpers/app';
import { api } from './helpers/api';
import { TestBrowser } from './helpers/browser';
import { newMessage, newRoom, newUser, TestUser } from './helpers/factories';

describe('mentions and status in the pages', () => {
  let app: TestApp;
  let browser: TestBrowser;

  beforeAll(async () => {
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

  const visitor = (user: TestUser) => browser.visitor(app, user);

  it('should badge the rooms that mention you in the lobby, on load and live, muted rooms too, until read', async () => {
    const owner = await newUser(app);
    const reader = await newUser(app);
    const room = await newRoom(app, owner, { title: 'Standup', is_public: false, users: [reader] });
    await api(app, reader.token).post(`/api/v1/chat/rooms/${room.id}/mute/`);
    await newMessage(app, owner, room.id, { body: `@${reader.username} are you there?` });
    await newMessage(app, owner, room.id, { body: 'no mention here' });

    const r = await visitor(reader);
    await r.page.goto(`${app.url}/chat/`);
    await r.page.waitForSelector('body[data-live="open"]');
    const item = r.page.getByRole('listitem').filter({ hasText: 'Standup' });
    await item.getByLabel('1 new mentions of you').waitFor();
    expect(await item.getByLabel('2 new messages').isVisible()).toBe(true);

    await newMessage(app, owner, room.id, { body: `and again, @${reader.username}` });
    await item.getByLabel('2 new mentions of you').waitFor();
    expect(await item.getByLabel('2 new mentions of you').textContent()).toBe('@2');

    // Read on another device: the badge goes.
    const listed = await api(app, reader.token).get(`/api/v1/chat/rooms/${room.id}/messages/`);
    const ids = listed.body.results.map((message: { id: string }) => message.id);
    await api(app, reader.token).post(`/api/v1/chat/rooms/${room.id}/messages/seen/`, { message_ids: ids });
    await item.getByLabel('2 new mentions of you').waitFor({ state: 'hidden' });
    expect(await item.getByText('@0').isVisible()).toBe(false);
    expect(await item.getByLabel('0 new messages').isVisible()).toBe(false);
  });

  it("should highlight the messages that mention you, and show members' status lines as they change", async () => {
    const owner = await newUser(app);
    const reader = await newUser(app, { first_name: 'Rita' });
    const room = await newRoom(app, owner, { title: 'Design', is_public: false, users: [reader] });
    await api(app, owner.token).patch('/api/v1/chat/me/', { status: 'on <b>holiday</b>' });
    const early = await newMessage(app, owner, room.id, { body: `@${reader.username} look at this` });
    const plain = await newMessage(app, owner, room.id, { body: 'just text' });

    const r = await visitor(reader);
    await r.page.goto(`${app.url}/chat/${room.id}/`);
    await r.page.waitForSelector('body[data-live="open"]');
    const log = r.page.getByRole('log', { name: 'Messages' });
    const mentioning = log.getByRole('article').filter({ hasText: 'look at this' });
    expect(await mentioning.getByText('mentions you').isVisible()).toBe(true);
    expect(await r.page.locator(`#m-${early.id}`).getAttribute('class')).toContain('msg--mention');
    expect(await r.page.locator(`#m-${plain.id}`).getAttribute('class')).not.toContain('msg--mention');

    const members = r.page.getByRole('complementary', { name: 'Members' });
    expect(await members.getByText('on <b>holiday</b>').isVisible()).toBe(true);

    const live = await newMessage(app, owner, room.id, { body: `live ping @${reader.username.toUpperCase()}` });
    await r.page.locator(`#m-${live.id}.msg--mention`).waitFor();
    expect(await r.page.locator(`#m-${live.id}`).getByText('mentions you').isVisible()).toBe(true);

    await api(app, owner.token).patch('/api/v1/chat/me/', { status: 'back at work' });
    await members.getByText('back at work').waitFor();
    expect(await members.getByText('on <b>holiday</b>').count()).toBe(0);
  });
});
