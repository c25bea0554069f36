import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import {
  DEFAULT_PASSWORD,
  loginWithCookie,
  SESSION_COOKIE,
  uniqueEmail,
} from '../support/auth-helpers';
import {
  CHROMIUM_ARGS,
  CHROMIUM_PATH,
  describeInBrowser,
  requireChromium,
} from '../support/chromium';
import { startTestApp, type TestApp } from '../support/test-app';
import { sleep, waitFor } from '../support/wait';

/**
 * The account-security page in a real headless Chromium (Debian's package; never a browser that
 * Playwright downloads). Two browser profiles play two devices of one user.
 */
const SCREENSHOT = join(__dirname, '..', '..', 'test-output', 'account-page.png');
const BROWSER_TEST_TIMEOUT_MS = 120_000;
/** Device B presents itself as a phone, so the list shows two different parsed agents. */
const PHONE_USER_AGENT =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 ' +
  '(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';

interface Device {
  context: BrowserContext;
  page: Page;
  /** Problems the page reported: uncaught errors and CSP violations. */
  problems: string[];
  profileDir: string;
}

describeInBrowser('account-security page in Chromium', () => {
  let app: TestApp;
  let baseUrl: string;
  const devices: Device[] = [];

  beforeAll(async () => {
    requireChromium();
    // Secure cookies work on http://127.0.0.1: Chromium treats loopback as a secure context.
    app = await startTestApp();
    const { port } = app.app.getHttpServer().address() as AddressInfo;
    baseUrl = `http://127.0.0.1:${port}`;
  });

  afterAll(async () => {
    for (const device of devices) {
      await device.context.close().catch(() => undefined);
      await rm(device.profileDir, { recursive: true, force: true });
    }
    await app?.close();
  });

  async function openDevice(userAgent?: string, url = baseUrl): Promise<Device> {
    const profileDir = await mkdtemp(join(tmpdir(), 'account-page-chromium-'));
    const context = await chromium.launchPersistentContext(profileDir, {
      executablePath: CHROMIUM_PATH,
      args: CHROMIUM_ARGS,
      headless: true,
      viewport: { width: 1100, height: 900 },
      locale: 'en-US',
      userAgent,
    });
    const page = context.pages()[0] ?? (await context.newPage());
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      if (/Content.Security.Policy/i.test(message.text())) problems.push(message.text());
    });
    const device = { context, page, problems, profileDir };
    devices.push(device);
    await page.goto(`${url}/`);
    await page.locator('#login-form').waitFor({ state: 'visible' });
    return device;
  }

  async function submit(page: Page, form: string, email: string): Promise<void> {
    await page.fill(`${form} input[name=email]`, email);
    await page.fill(`${form} input[name=password]`, DEFAULT_PASSWORD);
    await page.click(`${form} button[type=submit]`);
  }

  const sessionItems = (page: Page) => page.locator('#sessions [data-session-id]');

  /** Waits until the page lists `count` sessions (the list renders after its fetches). */
  async function expectSessionCount(page: Page, count: number): Promise<void> {
    await waitFor(
      () => sessionItems(page).count(),
      (n) => n === count,
      { timeoutMs: 10_000 },
    );
  }

  async function sessionCookie(context: BrowserContext) {
    const cookies = await context.cookies(baseUrl);
    return cookies.find((cookie) => cookie.name === SESSION_COOKIE);
  }

  it(
    'registers, lists both devices, revokes one, keeps the token out of scripts, and signs out',
    async () => {
      const email = uniqueEmail();

      // Device A registers through the page, which signs it straight in.
      const a = await openDevice();
      await submit(a.page, '#register-form', email);
      await expectSessionCount(a.page, 1);
      expect(await a.page.locator('#sessions .current').count()).toBe(1);
      const cookieA = await sessionCookie(a.context);
      expect(cookieA).toMatchObject({ httpOnly: true, secure: true, path: '/' });

      // Device B signs in as the same user through the sign-in form.
      const b = await openDevice(PHONE_USER_AGENT);
      await submit(b.page, '#login-form', email);
      await expectSessionCount(b.page, 2);
      const bSessionId = await b.page.locator('#sessions .current').getAttribute('data-session-id');
      expect(bSessionId).toBeTruthy();

      // A's open page lists B's sign-in without a reload (pushed over socket.io as session.event):
      // its own session (current, no revoke button) and B's (revocable).
      await expectSessionCount(a.page, 2);
      const current = a.page.locator('#sessions .current');
      expect(await current.count()).toBe(1);
      expect(await current.locator('button.revoke').count()).toBe(0);
      const other = a.page.locator(`#sessions [data-session-id="${bSessionId}"]`);
      expect(await other.locator('button.revoke').count()).toBe(1);
      // Browser and OS are named by the server (GraphQL `device`): B's from its (emulated) user agent.
      expect(await other.locator('.session-device').textContent()).toBe('Safari 17 on iOS 17.5');
      expect(await other.locator('.session-icon').getAttribute('class')).toContain('icon-mobile');
      // Chromium's own session is named from the Client Hints it sent at sign-in.
      expect(await current.locator('.session-device').textContent()).toMatch(
        /^Chromium \d+ on Linux$/,
      );
      const auditTypes = await a.page
        .locator('#audit [data-event-type]')
        .evaluateAll((items) => items.map((item) => item.getAttribute('data-event-type')));
      expect(auditTypes).toContain('session.created');

      // The HttpOnly cookie never reaches page scripts, nor any storage the page writes.
      // (A string expression: this file is compiled without the DOM typings.)
      const exposed = await a.page.evaluate<{ cookie: string; storage: string }>(
        '({ cookie: document.cookie, storage: JSON.stringify({ ...localStorage, ...sessionStorage }) })',
      );
      expect(cookieA?.value).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(exposed.cookie).not.toContain(cookieA?.value);
      expect(exposed.cookie).not.toContain(SESSION_COOKIE);
      expect(exposed.storage).not.toContain(cookieA?.value);

      await mkdir(join(SCREENSHOT, '..'), { recursive: true });
      await a.page.screenshot({ path: SCREENSHOT, fullPage: true });

      // A revokes B. B's page, left alone, returns to the sign-in form within a second of the
      // revocation (session.ended over its socket), saying why.
      const revoked = a.page.waitForResponse(
        (response) => response.request().method() === 'DELETE' && response.status() === 204,
      );
      await other.locator('button.revoke').click();
      await revoked;
      const revokedAt = Date.now();
      await b.page.locator('#login-form').waitFor({ state: 'visible', timeout: 5000 });
      expect(Date.now() - revokedAt).toBeLessThan(1000);
      await b.page.locator('#signed-in').waitFor({ state: 'hidden' });
      expect(await b.page.locator('#notice').textContent()).toBe(
        'This session was signed out from another device. Please sign in again.',
      );
      await expectSessionCount(a.page, 1);

      // Signing out ends A's session: the cookie is gone and the old token gets 401.
      await a.page.click('#logout');
      await a.page.locator('#login-form').waitFor({ state: 'visible' });
      await a.page.screenshot({ path: SCREENSHOT.replace(/\.png$/, '-signed-out.png') });
      await waitFor(
        () => sessionCookie(a.context),
        (cookie) => cookie === undefined,
      );
      await app.http().get('/me').set('Cookie', `${SESSION_COOKIE}=${cookieA?.value}`).expect(401);
      expect(await a.page.evaluate(() => fetch('/me').then((r) => r.status))).toBe(401);

      expect([...a.problems, ...b.problems]).toEqual([]);
    },
    BROWSER_TEST_TIMEOUT_MS,
  );
  it(
    'asks for the password when revoking needs a fresh sign-in, then carries on',
    async () => {
      // A one-second re-authentication window, so the revoke below needs the password again.
      const strict = await startTestApp({ session: { reauthSeconds: 1 } });
      try {
        const { port } = strict.app.getHttpServer().address() as AddressInfo;
        const a = await openDevice(undefined, `http://127.0.0.1:${port}`);
        const email = uniqueEmail();
        await submit(a.page, '#register-form', email);
        await expectSessionCount(a.page, 1);
        const other = await loginWithCookie(strict, { id: '', email, password: DEFAULT_PASSWORD });
        await a.page.click('#refresh');
        await expectSessionCount(a.page, 2);

        await sleep(1500);
        await a.page.click(`#sessions [data-session-id="${other.sessionId}"] button.revoke`);
        await a.page.locator('#reauth-dialog').waitFor({ state: 'visible' });
        expect(await a.page.locator('#error').isVisible()).toBe(true);
        await a.page.fill('#reauth-form input[name=password]', DEFAULT_PASSWORD);
        await a.page.click('#reauth-form button[type=submit]');

        // The retried revoke went through under the refreshed session.
        await expectSessionCount(a.page, 1);
        await a.page.locator('#error').waitFor({ state: 'hidden' });
        await strict.http().get('/me').set('Cookie', other.cookie).expect(401);
        expect(a.problems).toEqual([]);
      } finally {
        await strict.close();
      }
    },
    BROWSER_TEST_TIMEOUT_MS,
  );

  it(
    'shows a wrong password, a throttled attempt with its wait, and a network failure in #error',
    async () => {
      // Last in the file: passport's strategies are process-global, so this app serves logins now.
      const limited = await startTestApp({
        loginLimits: { maxFailures: 2, failureWindowSeconds: 60 },
      });
      try {
        const { port } = limited.app.getHttpServer().address() as AddressInfo;
        const url = `http://127.0.0.1:${port}`;
        const email = uniqueEmail();
        await limited
          .http()
          .post('/auth/register')
          .send({ email, password: DEFAULT_PASSWORD })
          .expect(201);
        const a = await openDevice(undefined, url);
        const error = a.page.locator('#error');
        const signIn = async (password: string) => {
          await a.page.fill('#login-form input[name=email]', email);
          await a.page.fill('#login-form input[name=password]', password);
          await a.page.click('#login-form button[type=submit]');
        };

        await signIn('not my password');
        await error.waitFor({ state: 'visible' });
        expect(await error.textContent()).toBe('Invalid email or password.');
        await signIn('still not my password');
        await waitFor(
          () => error.textContent(),
          (text) => text === 'Invalid email or password.',
        );
        // Now even the right password waits: the page says for how long.
        await signIn(DEFAULT_PASSWORD);
        await waitFor(
          () => error.textContent(),
          (text) => /^Too many attempts; try again in \d+ seconds\.$/.test(text ?? ''),
        );
        expect(await a.page.locator('#signed-in').isVisible()).toBe(false);

        await a.page.route('**/auth/login', (route) => route.abort());
        await signIn(DEFAULT_PASSWORD);
        await waitFor(
          () => error.textContent(),
          (text) => /cannot be reached/.test(text ?? ''),
        );
        expect(a.problems).toEqual([]);
      } finally {
        await limited.close();
      }
    },
    BROWSER_TEST_TIMEOUT_MS,
  );
});
