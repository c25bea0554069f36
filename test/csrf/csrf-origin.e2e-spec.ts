import type { AddressInfo } from 'node:net';
import {
  bearer,
  DEFAULT_PASSWORD,
  newBearerSession,
  newCookieSession,
} from '../support/auth-helpers';
import { expectErrorBody } from '../support/error-shape';
import { setCookieToken, cookieHeader } from '../support/security-helpers';
import { startTestApp, type TestApp } from '../support/test-app';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

const PARTNER = 'https://partner.example.test';
const EVIL = 'https://evil.example.test';

/**
 * The second CSRF layer: even a request that carries the right X-CSRF-Token is refused when the
 * browser says it comes from a foreign origin (Origin, or Sec-Fetch-Site: cross-site) — a token
 * leaked to another site must not be enough. CSRF_ALLOWED_ORIGINS names the exceptions.
 */
describe('CSRF origin checks', () => {
  let database: TestDatabase;
  let app: TestApp;
  let allowing: TestApp;

  beforeAll(async () => {
    database = await createTestDatabase();
    app = await startTestApp({ database });
    allowing = await startTestApp({ database, session: { csrfAllowedOrigins: [PARTNER] } });
  });

  afterAll(async () => {
    await app.close();
    await allowing.close();
    await database.drop();
  });

  /** An unsafe cookie request with the session's valid CSRF token. */
  const logout = (target: TestApp, login: { cookie: string; csrfToken: string }) =>
    target
      .http()
      .post('/auth/logout')
      .set('Cookie', login.cookie)
      .set('X-CSRF-Token', login.csrfToken);

  it.each([
    ['a foreign Origin', { Origin: EVIL }],
    ['the opaque Origin "null"', { Origin: 'null' }],
    ['an origin only another deployment allows', { Origin: PARTNER }],
    ['Sec-Fetch-Site: cross-site', { 'Sec-Fetch-Site': 'cross-site' }],
  ])('%s with a valid token answers 403 csrf_failed', async (_case, headers) => {
    const login = await newCookieSession(app);
    const response = await logout(app, login).set(headers);
    expect(response.status).toBe(403);
    expectErrorBody(response.body, 403, 'csrf_failed');
    await app.http().get('/me').set('Cookie', login.cookie).expect(200);
  });

  it('the app’s own origin and same-site fetch metadata pass', async () => {
    const login = await newCookieSession(app);
    const { port } = app.app.getHttpServer().address() as AddressInfo;
    const own = `http://127.0.0.1:${port}`;
    await app
      .http()
      .delete('/sessions')
      .set('Cookie', login.cookie)
      .set('X-CSRF-Token', login.csrfToken)
      .set('Origin', own)
      .expect(204);
    await logout(app, login).set('Sec-Fetch-Site', 'same-origin').expect(204);
  });

  it('an origin in CSRF_ALLOWED_ORIGINS passes; others are still refused', async () => {
    const login = await newCookieSession(allowing);
    const evil = await logout(allowing, login).set('Origin', EVIL);
    expectErrorBody(evil.body, 403, 'csrf_failed');
    await logout(allowing, login).set('Origin', PARTNER).expect(204);
  });

  it('bearer requests are exempt: a browser never attaches the header by itself', async () => {
    const { token } = await newBearerSession(app);
    await app
      .http()
      .post('/auth/logout')
      .set('Authorization', bearer(token))
      .set('Origin', EVIL)
      .expect(204);
  });

  it('rotation issues a new CSRF token and the old one is refused', async () => {
    const login = await newCookieSession(app);
    const rotated = await app
      .http()
      .post('/auth/reauth')
      .set('Cookie', login.cookie)
      .set('X-CSRF-Token', login.csrfToken)
      .send({ password: DEFAULT_PASSWORD })
      .expect(200);
    const cookie = cookieHeader(setCookieToken(rotated.headers) as string);
    expect(rotated.body.csrfToken).not.toBe(login.csrfToken);

    const stale = await logout(app, { cookie, csrfToken: login.csrfToken });
    expect(stale.status).toBe(403);
    expectErrorBody(stale.body, 403, 'csrf_failed');
    await logout(app, { cookie, csrfToken: rotated.body.csrfToken }).expect(204);
  });
});
