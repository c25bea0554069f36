import { bearer, loginWithToken, newCookieSession, registerUser } from '../support/auth-helpers';
import { expectErrorBody } from '../support/error-shape';
import { cookieHeader, setCookieToken } from '../support/security-helpers';
import { startTestApp, type TestApp } from '../support/test-app';
import { sleep } from '../support/wait';

const NEW_PASSWORD = 'a brand new passphrase';

/**
 * Sensitive actions need a session whose user proved their identity recently (ASVS 5.0 7.5):
 * a stolen but long-lived session must not be enough to change the password or lock the owner out.
 * SESSION_REAUTH_SECONDS=1 and one short sleep make every session here stale.
 */
describe('re-authentication for sensitive actions (SESSION_REAUTH_SECONDS=1)', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({ session: { reauthSeconds: 1 } });
  });

  afterAll(async () => {
    await app.close();
  });

  it('stale sessions get 403 reauth_required on every sensitive route; after POST /auth/reauth they work', async () => {
    const login = await newCookieSession(app);
    const other = await loginWithToken(app, login.user);
    await sleep(1200);

    const send = (cookie: string, csrf: string) => ({
      password: app
        .http()
        .post('/auth/password')
        .set('Cookie', cookie)
        .set('X-CSRF-Token', csrf)
        .send({ currentPassword: login.user.password, newPassword: NEW_PASSWORD }),
      others: app.http().delete('/sessions').set('Cookie', cookie).set('X-CSRF-Token', csrf),
      one: app
        .http()
        .delete(`/sessions/${other.sessionId}`)
        .set('Cookie', cookie)
        .set('X-CSRF-Token', csrf),
      account: app
        .http()
        .delete('/account')
        .set('Cookie', cookie)
        .set('X-CSRF-Token', csrf)
        .send({ password: login.user.password }),
    });

    const stale = send(login.cookie, login.csrfToken);
    for (const request of [stale.password, stale.others, stale.one, stale.account]) {
      const response = await request;
      expect(response.status).toBe(403);
      expectErrorBody(response.body, 403, 'reauth_required');
    }
    // Nothing happened: the other session lives, the password is unchanged.
    await app.http().get('/me').set('Authorization', bearer(other.token)).expect(200);

    const reauth = await app
      .http()
      .post('/auth/reauth')
      .set('Cookie', login.cookie)
      .set('X-CSRF-Token', login.csrfToken)
      .send({ password: login.user.password })
      .expect(200);
    const cookie = cookieHeader(setCookieToken(reauth.headers) as string);

    await send(cookie, reauth.body.csrfToken).others.expect(204);
    await app.http().get('/me').set('Authorization', bearer(other.token)).expect(401);
    await send(cookie, reauth.body.csrfToken).password.expect(200);
  });

  it('a failed re-authentication leaves the session stale', async () => {
    const user = await registerUser(app);
    const login = await loginWithToken(app, user);
    await sleep(1200);
    await app
      .http()
      .post('/auth/reauth')
      .set('Authorization', bearer(login.token))
      .send({ password: 'wrong password' })
      .expect(401);
    const response = await app.http().delete('/sessions').set('Authorization', bearer(login.token));
    expect(response.status).toBe(403);
    expectErrorBody(response.body, 403, 'reauth_required');
  });

  it('a fresh login may act at once', async () => {
    const user = await registerUser(app);
    const login = await loginWithToken(app, user);
    await app.http().delete('/sessions').set('Authorization', bearer(login.token)).expect(204);
  });
});
