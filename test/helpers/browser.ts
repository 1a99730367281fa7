import { Browser, BrowserContext, chromium, Page } from 'playwright-core';
import type { TestApp } from './app';
import type { TestUser } from './factories';

export const DESKTOP = { width: 1280, height: 800 };

export interface Visitor {
  context: BrowserContext;
  page: Page;
  dialogs: string[];
  errors: string[];
}

/**
 * One headless Chromium for a test file, and the visitors (browser profiles) of the test running; each
 * visitor records the dialogs and script errors its page raised, which must be none.
 */
export class TestBrowser {
  private readonly visitors: Visitor[] = [];

  private constructor(private readonly browser: Browser) {}

  static async launch(): Promise<TestBrowser> {
    const browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
    return new TestBrowser(browser);
  }

  /** A fresh browser profile; signed in to `app` through the session cookie when a user is given. */
  async visitor(app: TestApp, user?: TestUser, viewport = DESKTOP): Promise<Visitor> {
    const context = await this.browser.newContext({ viewport });
    if (user) {
      await context.addCookies([
        {
          name: 'dfchat_session',
          value: user.token,
          domain: new URL(app.url).hostname,
          path: '/chat',
          httpOnly: true,
          sameSite: 'Strict',
        },
      ]);
    }
    const page = await context.newPage();
    const opened: Visitor = { context, page, dialogs: [], errors: [] };
    watch(opened, page);
    this.visitors.push(opened);
    return opened;
  }

  /** Another tab of the visitor's profile (same cookie), watched the same way. */
  async newTab(visitor: Visitor): Promise<Page> {
    const page = await visitor.context.newPage();
    watch(visitor, page);
    return page;
  }

  /** Closes the test's visitors; answers what their pages raised, for the test to expect empty. */
  async closeVisitors(): Promise<{ dialogs: string[]; errors: string[] }> {
    const open = this.visitors.splice(0);
    await Promise.all(open.map((visitor) => visitor.context.close()));
    return { dialogs: open.flatMap((visitor) => visitor.dialogs), errors: open.flatMap((visitor) => visitor.errors) };
  }

  async close(): Promise<void> {
    await this.browser.close();
  }
}

function watch(visitor: Visitor, page: Page): void {
  page.on('dialog', (dialog) => {
    visitor.dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  page.on('pageerror', (error) => visitor.errors.push(error.message));
}

/** Polls until the check passes (true) or a few seconds have gone (false). */
export async function waitFor(check: () => Promise<boolean>, ms = 5000): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await check()) {
      return true;
    }
    await new Promise((done) => setTimeout(done, 100));
  }
  return false;
}
