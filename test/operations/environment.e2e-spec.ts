import { bearer, findSetCookie, loginWithToken, registerUser } from '../support/auth-helpers';
import { startTestApp, type TestApp, type TestAppOptions } from '../support/test-app';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

/** The env-driven switches that change HTTP behaviour: TRUST_PROXY and COOKIE_SECURE. */
describe('environment switches', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase();
  });

  afterAll(async () => {
    await database.drop();
  });

  async function withApp(
    options: Pick<TestAppOptions, 'trustProxy' | 'cookieSecure'>,
    run: (app: TestApp) => Promise<void>,
  ): Promise<void> {
    const app = await startTestApp({ ...options, database });
    try {
      await run(app);
    } finally {
      await app.close();
    }
  }

  async function recordedIp(app: TestApp, forwardedFor = '203.0.113.7'): Promise<string> {
    const user = await registerUser(app);
    const login = await app
      .http()
      .post('/auth/token')
      .set('X-Forwarded-For', forwardedFor)
      .send({ email: user.email, password: user.password })
      .expect(200);
    const sessions = await app
      .http()
      .get('/sessions')
      .set('Authorization', bearer(login.body.token))
      .expect(200);
    return sessions.body[0].ip;
  }

  it('TRUST_PROXY=false (default): X-Forwarded-For is ignored, the socket address is recorded', async () => {
    await withApp({}, async (app) => {
      expect(await recordedIp(app)).toMatch(/127\.0\.0\.1/);
    });
  });

  it('TRUST_PROXY=1: the client ip is the entry the trusted proxy appended to X-Forwarded-For', async () => {
    await withApp({ trustProxy: 1 }, async (app) => {
      expect(await recordedIp(app)).toBe('203.0.113.7');
      // A client writes its own leftmost entries; a proxy that appends puts the real peer last.
      expect(await recordedIp(app, '198.51.100.1, 203.0.113.9')).toBe('203.0.113.9');
    });
  });

  it('TRUST_PROXY=loopback: only a proxy at a listed address may speak for the client', async () => {
    await withApp({ trustProxy: ['loopback'] }, async (app) => {
      expect(await recordedIp(app, '198.51.100.1, 203.0.113.9')).toBe('203.0.113.9');
    });
    await withApp({ trustProxy: ['10.0.0.0/8'] }, async (app) => {
      // The app's peer (127.0.0.1) is not in the list: X-Forwarded-For is ignored.
      expect(await recordedIp(app)).toMatch(/127\.0\.0\.1/);
    });
  });

  it('COOKIE_SECURE=false: a plain `sid` cookie without Secure (the __Host- prefix requires it)', async () => {
    await withApp({ cookieSecure: false }, async (app) => {
      const user = await registerUser(app);
      const response = await app
        .http()
        .post('/auth/login')
        .send({ email: user.email, password: user.password })
        .expect(200);
      const setCookie = findSetCookie(response.headers, 'sid');
      expect(setCookie).toBeDefined();
      expect(setCookie).not.toMatch(/;\s*Secure/i);
      expect(setCookie).toMatch(/;\s*HttpOnly/i);
      const cookie = String(setCookie).split(';')[0];
      await app.http().get('/me').set('Cookie', cookie).expect(200);
      // Bearer keeps working whatever the cookie settings.
      const { token } = await loginWithToken(app, user);
      await app.http().get('/me').set('Authorization', bearer(token)).expect(200);
    });
  });
});
