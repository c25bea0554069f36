import { bearer, newBearerSession, newCookieSession } from '../support/auth-helpers';
import { expectErrorBody } from '../support/error-shape';
import { startTestApp, type TestApp } from '../support/test-app';

describe('CSRF protection of cookie-authenticated unsafe requests', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp();
  });

  afterAll(async () => {
    await app.close();
  });

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
