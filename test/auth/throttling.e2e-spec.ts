import { PasswordHasher } from '../../apps/sample-app/src/users/password-hasher';
import type { AppConfig } from '../../apps/sample-app/src/config/app-config';
import { bearer, loginWithToken, registerUser, type TestUser } from '../support/auth-helpers';
import { expectErrorBody } from '../support/error-shape';
import { startTestApp, type TestApp, type TestAppOptions } from '../support/test-app';
import { createTestDatabase, type TestDatabase } from '../support/test-database';
import { deleteRedisKeys, TEST_REDIS_URL, uniqueRedisPrefix } from '../support/test-redis';
import { sleep } from '../support/wait';

/**
 * Password guessing is slowed down (ASVS 4.0.3 V2.2.1, 5.0 V6.3.1): per account and client ip,
 * per ip across accounts, and registrations per ip, with counters in the app's own store
 * (PostgreSQL or Redis) so they hold across instances. A refused attempt never runs argon2.
 */
const LIMITS: Partial<AppConfig['loginLimits']> = {
  maxFailures: 3,
  failureWindowSeconds: 2,
  maxFailuresPerIp: 1_000_000,
  registerMaxPerIp: 1_000_000,
};

interface AuditRow {
  type: string;
  reason: string | null;
}

describe.each(['postgres', 'redis'] as const)('throttled password checks (%s counters)', (kind) => {
  let database: TestDatabase;
  const redisPrefix = uniqueRedisPrefix();
  const apps: TestApp[] = [];

  const start = async (options: TestAppOptions = {}): Promise<TestApp> => {
    const app = await startTestApp({
      database,
      trustProxy: 1,
      loginLimits: LIMITS,
      ...(kind === 'redis'
        ? {
            sessionStore: {
              kind: 'redis',
              url: TEST_REDIS_URL,
              keyPrefix: redisPrefix,
              connectTimeoutMs: 2000,
              commandTimeoutMs: 2000,
            },
          }
        : {}),
      ...options,
    });
    apps.push(app);
    return app;
  };

  let app: TestApp;
  beforeAll(async () => {
    database = await createTestDatabase();
    app = await start();
  });
  afterAll(async () => {
    await Promise.all(apps.map((a) => a.close()));
    await database.drop();
    if (kind === 'redis') await deleteRedisKeys(redisPrefix);
  });

  /** Each test speaks from its own address (TRUST_PROXY=1), so the pairs never meet. */
  let address = 0;
  const nextIp = () => `198.51.100.${++address}`;
  const attempt = (
    target: TestApp,
    path: string,
    user: TestUser,
    ip: string,
    password = 'wrong password!',
  ) => target.http().post(path).set('X-Forwarded-For', ip).send({ email: user.email, password });

  const auditOf = async (target: TestApp, user: TestUser): Promise<AuditRow[]> => {
    const { token } = await loginWithToken(target, user);
    const response = await target
      .http()
      .get('/audit')
      .set('Authorization', bearer(token))
      .expect(200);
    return response.body as AuditRow[];
  };

  it('answers 429 too_many_attempts with Retry-After once the pair failed LOGIN_MAX_FAILURES times — even with the right password — and runs no argon2 for it', async () => {
    const user = await registerUser(app);
    const ip = nextIp();
    for (let i = 0; i < 3; i++) await attempt(app, '/auth/login', user, ip).expect(401);
    const verify = jest.spyOn(app.app.get(PasswordHasher), 'verify');
    try {
      const refused = await attempt(app, '/auth/login', user, ip, user.password).expect(429);
      expectErrorBody(refused.body, 429, 'too_many_attempts');
      expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(2);
      expect(refused.body.message).toMatch(/try again in \d+ seconds/);
      // /auth/token shares the counter.
      await attempt(app, '/auth/token', user, ip, user.password).expect(429);
      expect(verify).not.toHaveBeenCalled();
    } finally {
      verify.mockRestore();
    }
    // Another address is not held back, and the refused attempts did not count as failures:
    // once the block is over, the right password works at once.
    await attempt(app, '/auth/login', user, nextIp(), user.password).expect(200);
    await sleep(2100);
    await attempt(app, '/auth/login', user, ip, user.password).expect(200);
  });

  it('a success resets the pair', async () => {
    const user = await registerUser(app);
    const ip = nextIp();
    for (let i = 0; i < 2; i++) await attempt(app, '/auth/login', user, ip).expect(401);
    await attempt(app, '/auth/login', user, ip, user.password).expect(200);
    for (let i = 0; i < 2; i++) await attempt(app, '/auth/login', user, ip).expect(401);
    await attempt(app, '/auth/login', user, ip, user.password).expect(200);
  });

  it('re-authentication shares the counter: a stolen cookie cannot guess the password online', async () => {
    const user = await registerUser(app);
    const ip = nextIp();
    const { token } = await loginWithToken(app, user);
    const reauth = (password: string) =>
      app
        .http()
        .post('/auth/reauth')
        .set('X-Forwarded-For', ip)
        .set('Authorization', bearer(token))
        .send({ password });
    for (let i = 0; i < 3; i++) await reauth('wrong password!').expect(401);
    await reauth(user.password).expect(429);
    await attempt(app, '/auth/login', user, ip, user.password).expect(429);
  });

  it('writes auth.login_failed and auth.throttled to the user’s /audit at once; nothing for an unknown email', async () => {
    const user = await registerUser(app);
    const ip = nextIp();
    for (let i = 0; i < 3; i++) await attempt(app, '/auth/login', user, ip).expect(401);
    await attempt(app, '/auth/login', user, ip, user.password).expect(429);
    await attempt(app, '/auth/login', { ...user, email: `nobody-${user.email}` }, ip).expect(401);
    const audit = await auditOf(app, user);
    expect(audit.filter((e) => e.type === 'auth.login_failed')).toHaveLength(3);
    expect(audit.filter((e) => e.type === 'auth.throttled').map((e) => e.reason)).toEqual([
      expect.stringMatching(/^retry_after_\d+s$/),
      expect.stringMatching(/^blocked_\d+s$/),
    ]);
  });

  // Across processes: test/multi-instance (two built apps on one store).

  it('limits failures per ip across accounts (LOGIN_MAX_FAILURES_PER_IP), and registrations per ip', async () => {
    const strict = await start({
      loginLimits: { ...LIMITS, maxFailuresPerIp: 4, registerMaxPerIp: 2 },
    });
    const ip = nextIp();
    // Registered through the other app: the registration counter is shared (same store).
    const users = [await registerUser(app), await registerUser(app), await registerUser(app)];
    for (const u of users.slice(0, 2)) {
      for (let i = 0; i < 2; i++) await attempt(strict, '/auth/login', u, ip).expect(401);
    }
    // A third account from the same address: refused before its first guess.
    await attempt(strict, '/auth/login', users[2], ip, users[2].password).expect(429);
    const register = () =>
      strict
        .http()
        .post('/auth/register')
        .set('X-Forwarded-For', ip)
        .send({
          email: `r-${Math.random().toString(36).slice(2)}@example.test`,
          password: 'long enough pw',
        });
    await register().expect(201);
    await register().expect(201);
    const refused = await register().expect(429);
    expectErrorBody(refused.body, 429, 'too_many_attempts');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('accepts any positive limit: 1000000 switches one off', async () => {
    const open = await start({ loginLimits: { ...LIMITS, maxFailures: 1_000_000 } });
    const user = await registerUser(open);
    const ip = nextIp();
    for (let i = 0; i < 8; i++) await attempt(open, '/auth/login', user, ip).expect(401);
    await attempt(open, '/auth/login', user, ip, user.password).expect(200);
  });

  it('keeps one user’s audit bounded: a storm of failures is summarized, not stored row by row', async () => {
    const bounded = await start({
      loginLimits: { ...LIMITS, maxFailures: 1_000_000 },
      auditMaxEventsPerMinute: 5,
    });
    const user = await registerUser(bounded);
    const ip = nextIp();
    await Promise.all(
      Array.from({ length: 30 }, () => attempt(bounded, '/auth/login', user, ip).expect(401)),
    );
    const failed = (await auditOf(bounded, user)).filter((e) => e.type === 'auth.login_failed');
    const single = failed.filter((e) => !e.reason?.startsWith('summarized: '));
    const folded = failed
      .filter((e) => e.reason?.startsWith('summarized: '))
      .reduce((sum, e) => sum + Number(e.reason!.slice('summarized: '.length)), 0);
    expect(single).toHaveLength(5);
    expect(failed.length).toBeLessThanOrEqual(7); // 5 rows, and one summary (two across a minute)
    expect(single.length + folded).toBe(30);
  });
});
