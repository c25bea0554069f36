import { bearer, newBearerSession, newCookieSession } from '../support/auth-helpers';
import { expectErrorBody } from '../support/error-shape';
import { startTestApp, type TestApp } from '../support/test-app';

/** GET /passport/me: the library's SessionStrategy behind AuthGuard('session'). */
describe('passport: AuthGuard("session")', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp();
  });

  afterAll(() => app.close());

  it('answers exactly as GET /me for a cookie session', async () => {
    const { cookie, user, sessionId } = await newCookieSession(app);
    const viaPassport = await app.http().get('/passport/me').set('Cookie', cookie).expect(200);
    const viaGuard = await app.http().get('/me').set('Cookie', cookie).expect(200);
    expect(viaPassport.body.user).toEqual({ id: user.id, email: user.email });
    expect(viaPassport.body.session.id).toBe(sessionId);
    expect(Object.keys(viaPassport.body).sort()).toEqual(Object.keys(viaGuard.body).sort());
    expect(Object.keys(viaPassport.body.session).sort()).toEqual(
      Object.keys(viaGuard.body.session).sort(),
    );
  });

  it('accepts a bearer token', async () => {
    const { token, sessionId } = await newBearerSession(app);
    const response = await app
      .http()
      .get('/passport/me')
      .set('Authorization', bearer(token))
      .expect(200);
    expect(response.body.session.id).toBe(sessionId);
  });

  it.each([
    ['no token', {}],
    ['a garbage cookie', { Cookie: '__Host-sid=garbage' }],
    ['a garbage bearer token', { Authorization: 'Bearer garbage' }],
  ])('answers 401 with the JSON error shape for %s', async (_what, headers) => {
    const response = await app.http().get('/passport/me').set(headers).expect(401);
    expectErrorBody(response.body, 401, 'unauthorized');
  });

  it('answers 401 once the session is logged out', async () => {
    const { cookie, csrfToken } = await newCookieSession(app);
    await app
      .http()
      .post('/auth/logout')
      .set('Cookie', cookie)
      .set('X-CSRF-Token', csrfToken)
      .expect(204);
    const response = await app.http().get('/passport/me').set('Cookie', cookie).expect(401);
    expectErrorBody(response.body, 401, 'unauthorized');
  });
});
