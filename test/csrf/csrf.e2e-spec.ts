/**
 * Contract: an unsafe request (POST, PUT, PATCH, DELETE) authenticated by the session cookie needs
 * two things, or it answers 403 csrf_failed and changes nothing:
 * - the session's own CSRF token in X-CSRF-Token (from login, GET /auth/csrf or a rotation; a new
 *   one with every rotation);
 * - no foreign origin: even the right token is refused when the browser says the request comes
 *   from another site (Origin, or Sec-Fetch-Site: cross-site) — a token leaked to another site must
 *   not be enough. CSRF_ALLOWED_ORIGINS names the exceptions.
 * Safe methods, bearer requests and the credential endpoints (login, register, token) are exempt.
 */

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

describe('CSRF protection of cookie-authenticated unsafe requests', () => {
  let database: TestDatabase;
  let app: TestApp;
  let allowing: TestApp;
  let proxied: TestApp;

  beforeAll(async () => {
    database = await createTestDatabase();
    app = await startTestApp({ database });
    allowing = await startTestApp({ database, session: { csrfAllowedOrigins: [PARTNER] } });
    proxied = await startTestApp({ database, trustProxy: 1 });
  });

  afterAll(async () => {
    await app.close();
    await allowing.close();
    await proxied.close();
    await database.drop();
  });

  describe('the X-CSRF-Token header', () => {
    it.each([
      ['POST /auth/logout', 'post', '/auth/logout'],
      ['DELETE /sessions', 'delete', '/sessions'],
    ] as const)(
      '%s without X-CSRF-Token answers 403 csrf_failed and changes nothing',
      async (_n, method, path) => {
        const { cookie } = await newCookieSession(app);
        const response = await app.http()[method](path).set('Cookie', cookie).expect(403);
        expectErrorBody(response.body, 403, 'csrf_failed');
        await app.http().get('/me').set('Cookie', cookie).expect(200);
      },
    );

    it('a wrong X-CSRF-Token answers 403 csrf_failed', async () => {
      const { cookie, csrfToken } = await newCookieSession(app);
      const wrong = `${csrfToken.slice(0, -1)}${csrfToken.endsWith('A') ? 'B' : 'A'}`;
      const response = await app
        .http()
        .post('/auth/logout')
        .set('Cookie', cookie)
        .set('X-CSRF-Token', wrong)
        .expect(403);
      expectErrorBody(response.body, 403, 'csrf_failed');
    });

    it('another session’s CSRF token is refused', async () => {
      const mine = await newCookieSession(app);
      const theirs = await newCookieSession(app);
      await app
        .http()
        .post('/auth/logout')
        .set('Cookie', mine.cookie)
        .set('X-CSRF-Token', theirs.csrfToken)
        .expect(403);
    });

    it('the right X-CSRF-Token lets the request through', async () => {
      const { cookie, csrfToken } = await newCookieSession(app);
      await app
        .http()
        .delete('/sessions')
        .set('Cookie', cookie)
        .set('X-CSRF-Token', csrfToken)
        .expect(204);
    });

    it('GET /auth/csrf returns the session’s CSRF token, which works', async () => {
      const { cookie, csrfToken } = await newCookieSession(app);
      const response = await app.http().get('/auth/csrf').set('Cookie', cookie).expect(200);
      expect(response.body).toEqual({ csrfToken });
      expect(response.headers['cache-control']).toBe('no-store');
      await app
        .http()
        .post('/auth/logout')
        .set('Cookie', cookie)
        .set('X-CSRF-Token', response.body.csrfToken)
        .expect(204);
    });

    it('safe methods need no CSRF token', async () => {
      const { cookie } = await newCookieSession(app);
      await app.http().get('/sessions').set('Cookie', cookie).expect(200);
    });

    it('bearer requests are exempt', async () => {
      const { token } = await newBearerSession(app);
      await app.http().delete('/sessions').set('Authorization', bearer(token)).expect(204);
      await app.http().post('/auth/logout').set('Authorization', bearer(token)).expect(204);
    });

    it('login, register and token are exempt even with a cookie attached', async () => {
      const { cookie, user } = await newCookieSession(app);
      const credentials = { email: user.email, password: user.password };
      await app.http().post('/auth/login').set('Cookie', cookie).send(credentials).expect(200);
      await app.http().post('/auth/token').set('Cookie', cookie).send(credentials).expect(200);
      await app
        .http()
        .post('/auth/register')
        .set('Cookie', cookie)
        .send({ email: `x${user.email}`, password: user.password })
        .expect(201);
    });

    it('a foreign Origin is refused even with the right token', async () => {
      const { cookie, csrfToken } = await newCookieSession(app);
      const response = await app
        .http()
        .post('/auth/logout')
        .set('Cookie', cookie)
        .set('X-CSRF-Token', csrfToken)
        .set('Origin', 'https://evil.example')
        .expect(403);
      expectErrorBody(response.body, 403, 'csrf_failed');
    });
  });

  /**
   * The second CSRF layer: even a request that carries the right X-CSRF-Token is refused when the
   * browser says it comes from a foreign origin (Origin, or Sec-Fetch-Site: cross-site).
   */
  describe('Origin and Fetch Metadata checks', () => {
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

    it('a refusal says which check failed, with one error code', async () => {
      const login = await newCookieSession(app);
      const byOrigin = await logout(app, login).set('Origin', EVIL).expect(403);
      expectErrorBody(byOrigin.body, 403, 'csrf_failed');
      expect(byOrigin.body.message).toMatch(/foreign origin/);
      const byToken = await app.http().post('/auth/logout').set('Cookie', login.cookie).expect(403);
      expectErrorBody(byToken.body, 403, 'csrf_failed');
      expect(byToken.body.message).toMatch(/CSRF token/);
    });

    it('behind a trusted TLS-terminating proxy, X-Forwarded-Proto and -Host make the public origin the app’s own', async () => {
      const PUBLIC = 'https://app.example.test';
      const forwarded = { 'X-Forwarded-Proto': 'https', 'X-Forwarded-Host': 'app.example.test' };
      const login = await newCookieSession(proxied);
      await logout(proxied, login).set(forwarded).set('Origin', PUBLIC).expect(204);
      // Without proxy trust the same request looks foreign — and the message says so.
      const direct = await newCookieSession(app);
      const refused = await logout(app, direct).set(forwarded).set('Origin', PUBLIC).expect(403);
      expect(refused.body.message).toMatch(/foreign origin.*proxy/);
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
});
