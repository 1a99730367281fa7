import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Browser, chromium } from 'playwright-core';
import { startIsolatedApp, TestApp } from './helpers/app';
import { api, request } from './helpers/api';
import { newUser, TestUser } from './helpers/factories';

/** A browser app on an origin of its own: an empty page the tests run `fetch` in. */
async function startFrontend(): Promise<{ server: Server; origin: string }> {
  const server = createServer((_request, response) => {
    response.setHeader('content-type', 'text/html');
    response.end('<!doctype html><title>frontend</title>');
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return { server, origin: `http://localhost:${(server.address() as AddressInfo).port}` };
}

const corsHeaders = (headers: Headers): string[] =>
  [...headers.keys()].filter((name) => name.startsWith('access-control-'));

describe('cross-origin requests and security headers', () => {
  const listed = 'https://app.example.com';
  let frontend: { server: Server; origin: string };
  let app: TestApp;
  let user: TestUser;
  let browser: Browser;

  beforeAll(async () => {
    frontend = await startFrontend();
    app = await startIsolatedApp({ CORS_ORIGINS: `${listed}, ${frontend.origin}` });
    user = await newUser(app);
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
  });

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    frontend?.server.close();
  });

  describe('CORS', () => {
    it('should answer the preflight of a listed origin, allowing Authorization', async () => {
      const response = await request(app, 'OPTIONS', '/api/v1/chat/rooms/', {
        headers: {
          origin: listed,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'authorization,content-type',
        },
      });
      expect(response.status).toBe(204);
      expect(response.headers.get('access-control-allow-origin')).toBe(listed);
      expect(response.headers.get('access-control-allow-methods')).toContain('POST');
      expect(response.headers.get('access-control-allow-headers')?.toLowerCase().split(',')).toEqual(
        expect.arrayContaining(['authorization', 'content-type']),
      );
      expect(response.headers.get('vary')).toContain('Origin');
    });

    it('should let a listed origin read the answer and its request id', async () => {
      const response = await api(app, user.token).get('/api/v1/auth/users/me/', { headers: { origin: listed } });
      expect(response.status).toBe(200);
      expect(response.headers.get('access-control-allow-origin')).toBe(listed);
      expect(response.headers.get('access-control-expose-headers')).toContain('X-Request-Id');
    });

    it('should give an origin that is not listed no CORS header at all', async () => {
      const origin = 'https://evil.example.com';
      const preflight = await request(app, 'OPTIONS', '/api/v1/chat/rooms/', {
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization' },
      });
      expect(corsHeaders(preflight.headers)).toEqual([]);
      const read = await api(app, user.token).get('/api/v1/auth/users/me/', { headers: { origin } });
      expect(corsHeaders(read.headers)).toEqual([]);
      // A request without an Origin (not from a browser) is answered as before.
      expect(corsHeaders((await api(app, user.token).get('/api/v1/auth/users/me/')).headers)).toEqual([]);
    });

    it('should let a browser app on a listed origin call the API with a bearer token', async () => {
      const page = await browser.newPage();
      try {
        await page.goto(frontend.origin);
        const result = await page.evaluate(
          async ({ url, token }) => {
            const response = await fetch(`${url}/api/v1/chat/rooms/`, {
              method: 'POST',
              headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
              body: JSON.stringify({ title: 'From the frontend' }),
            });
            return { status: response.status, body: await response.json(), id: response.headers.get('x-request-id') };
          },
          { url: app.url, token: user.token },
        );
        expect(result).toMatchObject({ status: 201, body: { title: 'From the frontend' }, id: expect.any(String) });
      } finally {
        await page.close();
      }
    });
  });

  describe('security headers', () => {
    it("should send helmet's headers with API answers", async () => {
      const response = await api(app).get('/health');
      expect(Object.fromEntries(response.headers)).toMatchObject({
        'content-security-policy': expect.stringContaining("default-src 'self'"),
        'x-content-type-options': 'nosniff',
        'x-frame-options': 'SAMEORIGIN',
        'strict-transport-security': expect.stringContaining('max-age='),
        'cross-origin-opener-policy': 'same-origin',
        'referrer-policy': 'no-referrer',
      });
      expect(response.headers.get('content-security-policy')).not.toContain('upgrade-insecure-requests');
      expect(response.headers.get('x-powered-by')).toBeNull();
    });

    it('should let pages of other origins show uploaded images', async () => {
      const response = await fetch(`${app.url}/media/images/no-such-key.png`);
      await response.text();
      expect(response.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
      expect((await api(app).get('/health')).headers.get('cross-origin-resource-policy')).toBe('same-origin');
    });

    it('should keep the pages on their own, stricter policy', async () => {
      const response = await fetch(`${app.url}/chat/`);
      await response.text();
      const csp = response.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("default-src 'none'");
      expect(csp).toContain("script-src 'self';");
      expect(csp).not.toContain('unsafe-inline');
      expect(response.headers.get('x-frame-options')).toBe('DENY');
      expect(response.headers.get('cache-control')).toBe('no-store');
    });

    it('should send the Swagger UI with headers it works under', async () => {
      const response = await fetch(`${app.url}/api/v1/swagger/`);
      expect(await response.text()).toContain('swagger-ui');
      expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');

      const page = await browser.newPage();
      const refused: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'error') {
          refused.push(message.text());
        }
      });
      try {
        await page.goto(`${app.url}/api/v1/swagger/`);
        // The UI ran its scripts and fetched the document: it lists the operations.
        const paths = page.locator('.opblock-summary-path');
        await paths.first().waitFor({ timeout: 15_000 });
        expect(await paths.count()).toBeGreaterThan(10);
        expect(refused).toEqual([]);
      } finally {
        await page.close();
      }
    });
  });
});
