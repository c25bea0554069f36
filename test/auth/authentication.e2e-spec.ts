import {
  bearer,
  newBearerSession,
  newCookieSession,
  SESSION_COOKIE,
} from '../support/auth-helpers';
import { expectErrorBody } from '../support/error-shape';
import { startTestApp, type TestApp } from '../support/test-app';

/** Every guarded route of the contract: each must answer 401 without a live session. */
const GUARDED_ROUTES: Array<[method: 'get' | 'post' | 'delete', path: string]> = [
  ['get', '/me'],
  ['get', '/sessions'],
  ['delete', '/sessions'],
  ['delete', '/sessions/00000000-0000-4000-8000-000000000000'],
  ['post', '/auth/logout'],
  ['post', '/auth/password'],
  ['get', '/auth/csrf'],
  ['get', '/audit'],
];

describe('authentication (SessionGuard as a global guard)', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp();
  });

  afterAll(async () => {
    await app.close();
  });

  it.each(GUARDED_ROUTES)('%s %s answers 401 without a token', async (method, path) => {
    const response = await app.http()[method](path).expect(401);
    expectErrorBody(response.body, 401);
  });

  it.each([
    ['a garbage cookie', { Cookie: `${SESSION_COOKIE}=garbage` }],
    ['a well-formed but unknown cookie', { Cookie: `${SESSION_COOKIE}=${'A'.repeat(43)}` }],
    ['a garbage bearer token', { Authorization: 'Bearer not-a-token' }],
    ['an unknown bearer token', { Authorization: bearer('B'.repeat(43)) }],
    ['a non-bearer Authorization scheme', { Authorization: 'Basic dXNlcjpwYXNz' }],
    ['an empty bearer token', { Authorization: 'Bearer ' }],
  ])('answers 401 for %s', async (_case, headers) => {
    const response = await app.http().get('/me').set(headers).expect(401);
    expectErrorBody(response.body, 401);
  });

  it('never reads the token from the query string or the body', async () => {
    const { token } = await newBearerSession(app);
    await app.http().get(`/me?token=${token}&access_token=${token}`).expect(401);
    await app.http().get('/me').send({ token }).expect(401);
  });

  it('accepts a cookie session', async () => {
    const { cookie, sessionId, user } = await newCookieSession(app);
    const response = await app.http().get('/me').set('Cookie', cookie).expect(200);
    expect(response.body.user).toEqual({ id: user.id, email: user.email });
    expect(response.body.session.id).toBe(sessionId);
  });

  it('accepts a bearer session', async () => {
    const { token, sessionId } = await newBearerSession(app);
    const response = await app.http().get('/me').set('Authorization', bearer(token)).expect(200);
    expect(response.body.session.id).toBe(sessionId);
  });

  describe('POST /auth/logout', () => {
    it('answers 204, clears the cookie, and the token is dead afterwards (cookie)', async () => {
      const { cookie, csrfToken } = await newCookieSession(app);
      const response = await app
        .http()
        .post('/auth/logout')
        .set('Cookie', cookie)
        .set('X-CSRF-Token', csrfToken)
        .expect(204);
      expect(response.text).toBe('');
      const cleared = String(response.headers['set-cookie']);
      expect(cleared).toMatch(new RegExp(`^${SESSION_COOKIE}=;`));
      expect(cleared).toMatch(/Max-Age=0|Expires=Thu, 01 Jan 1970/);
      expect(response.headers['clear-site-data']).toBe('"cookies"');
      const after = await app.http().get('/me').set('Cookie', cookie).expect(401);
      expectErrorBody(after.body, 401);
    });

    it('answers 204 and kills a bearer token', async () => {
      const { token } = await newBearerSession(app);
      await app.http().post('/auth/logout').set('Authorization', bearer(token)).expect(204);
      await app.http().get('/me').set('Authorization', bearer(token)).expect(401);
      await app.http().post('/auth/logout').set('Authorization', bearer(token)).expect(401);
    });

    it('ends only the session that logs out', async () => {
      const first = await newBearerSession(app);
      const second = await app
        .http()
        .post('/auth/token')
        .send({ email: first.user.email, password: first.user.password })
        .expect(200);
      await app.http().post('/auth/logout').set('Authorization', bearer(first.token)).expect(204);
      await app.http().get('/me').set('Authorization', bearer(second.body.token)).expect(200);
    });
  });
});
