import { execFileSync } from 'node:child_process';
import { createHash, X509Certificate } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { DEFAULT_PASSWORD, uniqueEmail } from '../support/auth-helpers';
import {
  CHROMIUM_ARGS,
  CHROMIUM_PATH,
  describeInBrowser,
  requireChromium,
} from '../support/chromium';
import { startTestApp, type TestApp } from '../support/test-app';
import { waitFor } from '../support/wait';

/**
 * Device Bound Session Credentials in Debian's real Chromium, headless, with software keys: the
 * sample app over HTTPS (TLS_CERT_FILE / TLS_KEY_FILE, a self-signed certificate Chromium accepts
 * by its SPKI hash — plain --ignore-certificate-errors does not start DBSC), SESSION_DBSC=true.
 * The browser registers by itself after the sign-in; with its cookie gone it refreshes by itself
 * (challenge, proof by its key) before the page's request goes out.
 */
const DBSC_FEATURES = [
  '--enable-features=DeviceBoundSessions:RequireOriginTrialTokens/false/RefreshQuota/false,' +
    'EnableBoundSessionCredentialsSoftwareKeysForManualTesting,DeviceBoundSessionsDevTools',
  '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost',
];

describeInBrowser('DBSC in Chromium', () => {
  let dir: string;
  let app: TestApp;
  let origin: string;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    requireChromium();
    dir = await mkdtemp(join(tmpdir(), 'dbsc-'));
    const certFile = join(dir, 'cert.pem');
    const keyFile = join(dir, 'key.pem');
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-keyout',
        keyFile,
        '-out',
        certFile,
        '-days',
        '1',
        '-subj',
        '/CN=localhost',
        '-addext',
        'subjectAltName=DNS:localhost,IP:127.0.0.1',
      ],
      { stdio: 'ignore' },
    );
    const spki = new X509Certificate(await readFile(certFile)).publicKey.export({
      type: 'spki',
      format: 'der',
    });
    const spkiHash = createHash('sha256').update(spki).digest('base64');
    app = await startTestApp({
      tls: { certFile, keyFile },
      session: { dbsc: true, dbscCookieSeconds: 600, dbscSecret: 'x'.repeat(32) },
    });
    const { port } = app.app.getHttpServer().address() as AddressInfo;
    origin = `https://localhost:${port}`;
    context = await chromium.launchPersistentContext(join(dir, 'profile'), {
      executablePath: CHROMIUM_PATH,
      args: [
        ...CHROMIUM_ARGS,
        ...DBSC_FEATURES,
        `--ignore-certificate-errors-spki-list=${spkiHash}`,
      ],
      headless: true,
    });
    page = context.pages()[0] ?? (await context.newPage());
  }, 60_000);

  afterAll(async () => {
    await context?.close().catch(() => undefined);
    await app?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  /** A request from the page itself (same origin, the browser's cookies and DBSC rules apply). */
  const fetchJson = (path: string) =>
    page.evaluate(async (url) => {
      const response = await fetch(url, { credentials: 'same-origin' });
      return { status: response.status, body: await response.json() };
    }, path);

  it('registers after the sign-in and, with the cookie gone, refreshes it by proof', async () => {
    await page.goto(`${origin}/`);
    // Through the page: the test's own HTTP client would refuse the self-signed certificate.
    const signedIn = await page.evaluate(
      async ({ email, password }) => {
        const post = (path: string) =>
          fetch(path, {
            method: 'POST',
            headers: { 'Content-Type': 'application/json' },
            body: JSON.stringify({ email, password }),
          });
        await post('/auth/register');
        return (await post('/auth/login')).status;
      },
      { email: uniqueEmail(), password: DEFAULT_PASSWORD },
    );
    expect(signedIn).toBe(200);

    // Chromium registers in the background: the session becomes device-bound.
    const listed = await waitFor(
      () => fetchJson('/sessions'),
      ({ body }) =>
        Array.isArray(body) && (body as Array<{ deviceBound: boolean }>)[0]?.deviceBound,
      { timeoutMs: 20_000, intervalMs: 250 },
    );
    expect(listed.status).toBe(200);
    const [bound] = await context.cookies(origin);
    expect(bound?.name).toBe('__Host-sid');
    // The bound cookie lives SESSION_DBSC_COOKIE_SECONDS, not the session's whole life.
    expect(bound.expires * 1000 - Date.now()).toBeLessThanOrEqual(600_000);

    // Without its cookie the browser holds the request back, refreshes by proof, then sends it.
    await context.clearCookies();
    const me = await fetchJson('/me');
    expect(me.status).toBe(200);
    expect((await context.cookies(origin)).map((c) => c.name)).toEqual(['__Host-sid']);
  }, 90_000);
});
