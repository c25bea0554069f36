import { randomBytes } from 'node:crypto';
import { loginWithCookie, registerUser, type TestUser } from '../support/auth-helpers';
import { cookieHeader, meStatus, setCookieToken, tokenHash } from '../support/security-helpers';
import { startTestApp, type TestApp } from '../support/test-app';

/**
 * Session fixation: an attacker who can plant a cookie in the victim's browser (a sibling
 * subdomain, an injected header) waits for the victim to log in on it. A login must therefore
 * always issue a brand-new token and never adopt or upgrade the one the client sent.
 */
describe('session fixation', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp();
  });

  afterAll(async () => {
    await app.close();
  });

  const loginWithPlantedCookie = (user: TestUser, planted: string, path = '/auth/login') =>
    app
      .http()
      .post(path)
      .set('Cookie', cookieHeader(planted))
      .send({ email: user.email, password: user.password })
      .expect(200);

  it('a token planted before login is never adopted: login issues a new one, and the planted one stays useless', async () => {
    const victim = await registerUser(app);
    const planted = randomBytes(32).toString('base64url');
    const response = await loginWithPlantedCookie(victim, planted);
    const issued = setCookieToken(response.headers);

    expect(issued).toBeDefined();
    expect(issued).not.toBe(planted);
    expect(await meStatus(app, planted)).toBe(401);
    expect(await meStatus(app, issued as string)).toBe(200);
    const rows = await app.dataSource.query<unknown[]>(
      'SELECT 1 FROM sessions WHERE token_hash = $1',
      [tokenHash(planted)],
    );
    expect(rows).toHaveLength(0);
  });

  it.each(['/auth/login', '/auth/token'])(
    '%s on a planted LIVE session of user A signs B into a new session and ends A’s (replaced), never upgrading it',
    async (path) => {
      const attacker = await registerUser(app);
      const victim = await registerUser(app);
      const planted = await loginWithCookie(app, attacker);

      const response = await loginWithPlantedCookie(victim, planted.token, path);
      const issued = (setCookieToken(response.headers) ?? response.body.token) as string;
      expect(issued).not.toBe(planted.token);
      expect(response.body.session.id).not.toBe(planted.sessionId);

      // The planted token authenticates nobody any more, least of all the victim…
      await app.http().get('/me').set('Cookie', planted.cookie).expect(401);
      // …and the victim's new session is theirs.
      const asVictim = await app
        .http()
        .get('/me')
        .set('Authorization', `Bearer ${issued}`)
        .expect(200);
      expect(asVictim.body.user.id).toBe(victim.id);
      const [row] = await app.dataSource.query<Array<{ user_id: string; end_reason: string }>>(
        'SELECT user_id, end_reason FROM sessions WHERE id = $1',
        [planted.sessionId],
      );
      expect(row).toEqual({ user_id: attacker.id, end_reason: 'replaced' });
    },
  );
});
