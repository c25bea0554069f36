import { bearer, newCookieSession, SESSION_COOKIE } from '../support/auth-helpers';
import { expectErrorBody } from '../support/error-shape';
import { sendRawBytes } from '../support/raw-http';
import { startTestApp, type TestApp } from '../support/test-app';
import { sleep, waitFor } from '../support/wait';

/**
 * Hostile tokens and bodies: each answers a 4xx JSON error, never a 500 or a stack trace, and
 * writes nothing (row counts of every table are compared before and after) — but the audit
 * trail of the failed password checks on the known account (`auth.*` rows), which is its job.
 */
describe('bad input', () => {
  let app: TestApp;
  let live: { token: string; cookie: string };
  let before: Record<string, number>;

  const counts = async (): Promise<Record<string, number>> => {
    const [row] = await app.dataSource.query<Array<Record<string, string>>>(
      `SELECT (SELECT count(*) FROM users) AS users, (SELECT count(*) FROM sessions) AS sessions,
              (SELECT count(*) FROM session_rotated_tokens) AS rotated,
              (SELECT count(*) FROM audit_events WHERE type NOT LIKE 'auth.%') AS audit`,
    );
    return Object.fromEntries(Object.entries(row).map(([k, v]) => [k, Number(v)]));
  };

  beforeAll(async () => {
    app = await startTestApp();
    const session = await newCookieSession(app);
    live = { token: session.token, cookie: session.cookie };
    // The login's audit event (written asynchronously) lands before the baseline is taken.
    before = await waitFor(counts, (c) => c.audit >= 1);
  });

  afterAll(async () => {
    await app.close();
  });

  const percentEncoded = () => `%${live.token.charCodeAt(0).toString(16)}${live.token.slice(1)}`;
  const TOKENS: Array<[string, () => string]> = [
    ['garbage', () => 'garbage'],
    ['oversized (5 KiB)', () => 'A'.repeat(5 * 1024)],
    ['percent-encoded (a live token with one character escaped)', percentEncoded],
    ['non-base64url (+ and /)', () => `${'A'.repeat(41)}+/`],
    ['padded base64 of a live token', () => `${live.token}=`],
    ['an SQL fragment', () => "' OR '1'='1'; DROP TABLE sessions; --"],
    ['a percent-encoded NUL', () => `${live.token.slice(0, 42)}%00`],
    ['latin-1 bytes', () => 'é'.repeat(43)],
    ['empty', () => ''],
  ];

  it.each(TOKENS)('a cookie token that is %s answers 401 JSON', async (_case, token) => {
    for (const method of ['get', 'delete'] as const) {
      const client = app.http();
      const response = await client[method](method === 'get' ? '/me' : '/sessions').set(
        'Cookie',
        `${SESSION_COOKIE}=${token()}`,
      );
      expect(response.status).toBe(401);
      expectErrorBody(response.body, 401);
    }
  });

  it.each(TOKENS)('a bearer token that is %s answers 401 JSON', async (_case, token) => {
    const response = await app.http().get('/me').set('Authorization', bearer(token()));
    expect(response.status).toBe(401);
    expectErrorBody(response.body, 401);
  });

  it.each([
    [
      'two different session cookies (cookie tossing)',
      () => `${live.cookie}; ${SESSION_COOKIE}=${'B'.repeat(43)}`,
    ],
    ['a planted second cookie first', () => `${SESSION_COOKIE}=${'B'.repeat(43)}; ${live.cookie}`],
  ])('%s answers 401 even though one of them is live', async (_case, header) => {
    const response = await app.http().get('/me').set('Cookie', header());
    expectErrorBody(response.body, 401);
  });

  it.each([
    ['Basic credentials', () => 'Basic dXNlcjpwYXNz'],
    ['a bearer with two tokens', () => `Bearer ${live.token} ${live.token}`],
    ['an empty bearer', () => 'Bearer '],
    ['a raw token without scheme', () => live.token],
  ])(
    'an Authorization header with %s answers 401, even beside a live cookie',
    async (_c, value) => {
      const response = await app
        .http()
        .get('/me')
        .set('Cookie', live.cookie)
        .set('Authorization', value());
      expectErrorBody(response.body, 401);
    },
  );

  it('a NUL byte in a header is refused by the HTTP parser itself (400), before any app code', async () => {
    const status = await sendRawBytes(
      app,
      Buffer.from(
        `GET /me HTTP/1.1\r\nHost: x\r\nCookie: ${SESSION_COOKIE}=a\u0000b\r\n\r\n`,
        'latin1',
      ),
    );
    expect(status).toMatch(/^HTTP\/1\.1 400/);
  });

  const post = (path: string, body: string, method: 'post' | 'delete' = 'post') => {
    const client = app.http();
    return client[method](path)
      .set('Authorization', bearer(live.token))
      .set('Content-Type', 'application/json')
      .send(body);
  };

  it.each([
    ['/auth/login', 'post'],
    ['/auth/reauth', 'post'],
    ['/account', 'delete'],
  ] as const)(
    '%s: huge, malformed and hostile JSON bodies answer 4xx JSON',
    async (path, method) => {
      const cases: Array<[string, number, string | undefined]> = [
        [JSON.stringify({ password: 'p'.repeat(20 * 1024) }), 413, 'payload_too_large'],
        ['{"password": ', 400, 'invalid_json'],
        ['{"password": "x"} trailing', 400, 'invalid_json'],
        [`${'['.repeat(5000)}${']'.repeat(5000)}`, 400, undefined],
        ['{"password": {"$ne": null}}', 400, 'validation_failed'],
        ['{"password": "x", "isAdmin": true}', 400, 'validation_failed'],
        ['{"__proto__": {"password": "x"}}', 400, 'validation_failed'],
      ];
      for (const [body, status, code] of cases) {
        const response = await post(path, body, method);
        expect([response.status, body.slice(0, 40)]).toEqual([status, body.slice(0, 40)]);
        expectErrorBody(response.body, status, code);
      }
    },
  );

  it.each([
    ['an SQL fragment', "' OR 1=1; DELETE FROM users; --"],
    ['a NUL byte', 'pass\u0000word'],
  ])('a password that is %s is just a wrong password (401)', async (_case, password) => {
    for (const [path, method] of [
      ['/auth/reauth', 'post'],
      ['/account', 'delete'],
    ] as const) {
      const response = await post(path, JSON.stringify({ password }), method);
      expectErrorBody(response.body, 401, 'invalid_credentials');
    }
  });

  it('wrote nothing: row counts are unchanged and the live session still works', async () => {
    await sleep(200);
    expect(await counts()).toEqual(before);
    await app.http().get('/me').set('Cookie', live.cookie).expect(200);
  });
});
