import fc from 'fast-check';
import { newCookieSession, SESSION_COOKIE } from '../support/auth-helpers';
import { rawClient } from '../support/raw-http';
import { startTestApp, type TestApp } from '../support/test-app';
import { sleep, waitFor } from '../support/wait';

const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'.split('');
const HOSTILE = [
  "' OR '1'='1",
  '%00',
  '../../etc/passwd',
  '${jndi:ldap://x}',
  '__proto__',
  'Bearer',
  ';;;',
  '"',
  '=',
];
const RUNS = 2000;

/** What Node's HTTP client may put in a header value (anything else it refuses to send). */
const headerSafe = (value: string) => value.replace(/[^\t\x20-\x7e\x80-\xff]/g, '');

const token = fc.oneof(
  // Well-formed tokens reach the store lookup: the path a real attacker brute-forces.
  fc.string({ unit: fc.constantFrom(...BASE64URL), minLength: 43, maxLength: 43 }),
  fc.string({ unit: fc.constantFrom(...BASE64URL), minLength: 0, maxLength: 90 }),
  fc.string({ unit: 'binary', maxLength: 120 }),
  fc.string({ unit: 'grapheme-ascii', maxLength: 4200 }),
  fc.constantFrom(...HOSTILE),
);

const request = fc.record({
  token,
  placement: fc.constantFrom('cookie', 'bearer', 'raw-authorization', 'both', 'cookie-twice'),
  cookieNoise: fc.string({ unit: 'grapheme-ascii', maxLength: 40 }),
  userAgent: fc.option(fc.string({ unit: 'binary', maxLength: 200 })),
  forwardedFor: fc.option(fc.string({ unit: 'grapheme-ascii', maxLength: 60 })),
  origin: fc.option(fc.oneof(fc.webUrl(), fc.constantFrom('null', 'https://evil.example'))),
  csrf: fc.option(fc.string({ unit: 'grapheme-ascii', maxLength: 60 })),
});

type Sample = typeof request extends fc.Arbitrary<infer T> ? T : never;

function headersOf(sample: Sample): Record<string, string> {
  const t = headerSafe(sample.token);
  const headers: Record<string, string> = {};
  const cookie = `${headerSafe(sample.cookieNoise)}; ${SESSION_COOKIE}=${t}`;
  if (sample.placement === 'cookie') headers.cookie = cookie;
  if (sample.placement === 'cookie-twice') headers.cookie = `${cookie}; ${SESSION_COOKIE}=${t}x`;
  if (sample.placement === 'bearer') headers.authorization = `Bearer ${t}`;
  if (sample.placement === 'raw-authorization') headers.authorization = t;
  if (sample.placement === 'both') {
    headers.cookie = cookie;
    headers.authorization = `Bearer ${t}`;
  }
  if (sample.userAgent !== null) headers['user-agent'] = headerSafe(sample.userAgent);
  if (sample.forwardedFor !== null) headers['x-forwarded-for'] = headerSafe(sample.forwardedFor);
  if (sample.origin !== null) headers.origin = headerSafe(sample.origin);
  if (sample.csrf !== null) headers['x-csrf-token'] = headerSafe(sample.csrf);
  return headers;
}

/**
 * Property: whatever tokens and headers arrive, GET /me answers 401 (or 400 from the HTTP layer)
 * with the JSON error shape — never a 5xx, never a stack — and no promise is left rejected.
 */
describe(`GET /me under ${RUNS} random tokens and headers (fast-check)`, () => {
  let app: TestApp;
  const rejections: unknown[] = [];
  const onRejection = (reason: unknown) => rejections.push(reason);

  beforeAll(async () => {
    app = await startTestApp({ trustProxy: 1 });
    process.on('unhandledRejection', onRejection);
  });

  afterAll(async () => {
    process.off('unhandledRejection', onRejection);
    await app.close();
  });

  it('answers only 401/400 JSON errors, writes nothing, and leaves no unhandled rejection', async () => {
    // A live session exists, so random well-formed tokens are looked up among real rows.
    const live = await newCookieSession(app);
    const count = async () =>
      (
        await app.dataSource.query<Array<{ rows: string; audit: string }>>(
          `SELECT (SELECT count(*) FROM sessions) + (SELECT count(*) FROM session_rotated_tokens)
                + (SELECT count(*) FROM users) AS rows, (SELECT count(*) FROM audit_events) AS audit`,
        )
      )[0];
    // The login's audit event (written asynchronously) lands before the baseline is taken.
    const before = await waitFor(count, (c) => Number(c.audit) >= 1);
    const client = rawClient(app);
    try {
      await fc.assert(
        fc.asyncProperty(request, async (sample) => {
          const response = await client.get('/me', headersOf(sample));
          expect([400, 401]).toContain(response.status);
          if (response.status === 401) {
            expect(response.contentType).toMatch(/^application\/json/);
            const body = JSON.parse(response.body) as Record<string, unknown>;
            expect(Object.keys(body).sort()).toEqual(['error', 'message', 'statusCode']);
            expect(response.body).not.toMatch(/node_modules|\.ts:\d+|\bat .+:\d+:\d+/);
          }
        }),
        { numRuns: RUNS },
      );
    } finally {
      client.close();
    }
    await sleep(200);
    expect(await count()).toEqual(before);
    expect(rejections).toEqual([]);
    // The app is still healthy afterwards.
    await app.http().get('/me').set('Cookie', live.cookie).expect(200);
  }, 120_000);
});
