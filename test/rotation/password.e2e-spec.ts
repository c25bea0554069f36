import {
  bearer,
  findSetCookie,
  loginWithCookie,
  loginWithToken,
  registerUser,
  SESSION_COOKIE,
  type TestUser,
} from '../support/auth-helpers';
import { expectErrorBody } from '../support/error-shape';
import { startTestApp, type TestApp } from '../support/test-app';
import { waitFor } from '../support/wait';

const NEW_PASSWORD = 'a brand new passphrase';

interface AuditEvent {
  type: string;
  sessionId: string | null;
  reason: string | null;
}

describe('POST /auth/password', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({ session: { maxPerUser: 10 } });
  });

  afterAll(async () => {
    await app.close();
  });

  function change(user: TestUser, auth: Record<string, string>, body?: object) {
    return app
      .http()
      .post('/auth/password')
      .set(auth)
      .send(body ?? { currentPassword: user.password, newPassword: NEW_PASSWORD });
  }

  it('bearer caller: 200 { token, session }; old token dead, new one works, others revoked', async () => {
    const user = await registerUser(app);
    const caller = await loginWithToken(app, user);
    const otherBearer = await loginWithToken(app, user);
    const otherCookie = await loginWithCookie(app, user);

    const response = await change(user, { Authorization: bearer(caller.token) }).expect(200);
    expect(response.body).toEqual({
      token: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      session: expect.objectContaining({ id: caller.sessionId }),
    });
    expect(response.body.token).not.toBe(caller.token);
    expect(response.headers['cache-control']).toBe('no-store');

    await app.http().get('/me').set('Authorization', bearer(caller.token)).expect(401);
    await app.http().get('/me').set('Authorization', bearer(response.body.token)).expect(200);
    await app.http().get('/me').set('Authorization', bearer(otherBearer.token)).expect(401);
    await app.http().get('/me').set('Cookie', otherCookie.cookie).expect(401);

    // The password itself changed: the old one no longer logs in, the new one does.
    await app
      .http()
      .post('/auth/token')
      .send({ email: user.email, password: user.password })
      .expect(401);
    await app
      .http()
      .post('/auth/token')
      .send({ email: user.email, password: NEW_PASSWORD })
      .expect(200);

    const events = await waitFor(
      async () =>
        (await app.http().get('/audit').set('Authorization', bearer(response.body.token)))
          .body as AuditEvent[],
      (list) => list.filter((e) => e.reason === 'password_change').length >= 2,
    );
    const revoked = events.filter((e) => e.type === 'session.revoked');
    expect(revoked.map((e) => [e.sessionId, e.reason]).sort()).toEqual(
      [
        [otherBearer.sessionId, 'password_change'],
        [otherCookie.sessionId, 'password_change'],
      ].sort(),
    );
    expect(
      events.some((e) => e.type === 'session.rotated' && e.sessionId === caller.sessionId),
    ).toBe(true);
  });

  it('cookie caller: 200 { csrfToken, session } with a new cookie; old cookie dead', async () => {
    const user = await registerUser(app);
    const caller = await loginWithCookie(app, user);
    const response = await change(user, {
      Cookie: caller.cookie,
      'X-CSRF-Token': caller.csrfToken,
    }).expect(200);
    expect(response.body).toEqual({
      csrfToken: expect.any(String),
      session: expect.objectContaining({ id: caller.sessionId }),
    });
    expect(response.body.token).toBeUndefined();
    expect(response.body.csrfToken).not.toBe(caller.csrfToken);
    const setCookie = findSetCookie(response.headers);
    expect(setCookie).toBeDefined();
    const newCookie = String(setCookie).split(';')[0];
    expect(newCookie).not.toBe(caller.cookie);
    expect(newCookie.startsWith(`${SESSION_COOKIE}=`)).toBe(true);

    await app.http().get('/me').set('Cookie', caller.cookie).expect(401);
    await app.http().get('/me').set('Cookie', newCookie).expect(200);
    // The rotated session has a new CSRF token; the new one is what unsafe requests need now.
    await app
      .http()
      .post('/auth/logout')
      .set('Cookie', newCookie)
      .set('X-CSRF-Token', caller.csrfToken)
      .expect(403);
    await app
      .http()
      .post('/auth/logout')
      .set('Cookie', newCookie)
      .set('X-CSRF-Token', response.body.csrfToken)
      .expect(204);
  });

  it('a wrong current password answers 401 invalid_credentials and changes nothing', async () => {
    const user = await registerUser(app);
    const caller = await loginWithToken(app, user);
    const other = await loginWithToken(app, user);
    const response = await change(
      user,
      { Authorization: bearer(caller.token) },
      { currentPassword: 'not my password', newPassword: NEW_PASSWORD },
    ).expect(401);
    expectErrorBody(response.body, 401, 'invalid_credentials');
    await app.http().get('/me').set('Authorization', bearer(caller.token)).expect(200);
    await app.http().get('/me').set('Authorization', bearer(other.token)).expect(200);
    await app
      .http()
      .post('/auth/token')
      .send({ email: user.email, password: user.password })
      .expect(200);
  });

  it.each([
    ['a missing body', {}],
    ['a short new password', { currentPassword: 'x', newPassword: 'short' }],
    ['a too long new password', { currentPassword: 'x', newPassword: 'z'.repeat(129) }],
    ['a missing current password', { newPassword: NEW_PASSWORD }],
    ['an unknown field', { currentPassword: 'x', newPassword: NEW_PASSWORD, extra: 1 }],
  ])('answers 400 validation_failed for %s', async (_case, body) => {
    const user = await registerUser(app);
    const caller = await loginWithToken(app, user);
    const response = await change(user, { Authorization: bearer(caller.token) }, body).expect(400);
    expectErrorBody(response.body, 400, 'validation_failed');
    await app.http().get('/me').set('Authorization', bearer(caller.token)).expect(200);
  });

  it('answers 401 without a session', async () => {
    await app
      .http()
      .post('/auth/password')
      .send({ currentPassword: 'whatever1', newPassword: NEW_PASSWORD })
      .expect(401);
  });
});
