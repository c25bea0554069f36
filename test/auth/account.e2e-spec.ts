import { bearer, loginWithToken, newCookieSession } from '../support/auth-helpers';
import { expectErrorBody } from '../support/error-shape';
import { auditRows, meStatus } from '../support/security-helpers';
import { startTestApp, type TestApp } from '../support/test-app';
import { waitFor } from '../support/wait';

/** DELETE /account: deleting the user ends every session it had (ASVS 5.0 7.4.2). */
describe('DELETE /account', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp();
  });

  afterAll(async () => {
    await app.close();
  });

  it('deletes the user, revokes all their sessions, clears the cookie; login then fails', async () => {
    const login = await newCookieSession(app);
    const { user } = login;
    const phone = await loginWithToken(app, user);
    const tablet = await loginWithToken(app, user);

    const response = await app
      .http()
      .delete('/account')
      .set('Cookie', login.cookie)
      .set('X-CSRF-Token', login.csrfToken)
      .send({ password: user.password })
      .expect(204);
    expect(response.headers['set-cookie']?.[0]).toMatch(/^__Host-sid=;.*Max-Age=0/);

    for (const token of [login.token, phone.token, tablet.token]) {
      expect(await meStatus(app, token)).toBe(401);
    }
    const login401 = await app
      .http()
      .post('/auth/login')
      .send({ email: user.email, password: user.password })
      .expect(401);
    expectErrorBody(login401.body, 401, 'invalid_credentials');
    const users = await app.dataSource.query<unknown[]>('SELECT 1 FROM users WHERE id = $1', [
      user.id,
    ]);
    expect(users).toHaveLength(0);
    const live = await app.dataSource.query<Array<{ end_reason: string | null }>>(
      'SELECT end_reason FROM sessions WHERE user_id = $1',
      [user.id],
    );
    expect(live.map((s) => s.end_reason)).toEqual(['user', 'user', 'user']);
    const rows = await waitFor(
      () => auditRows(app, user.id),
      (list) => list.filter((e) => e.type === 'session.revoked').length >= 3,
    );
    expect(rows.filter((e) => e.type === 'session.revoked').map((e) => e.reason)).toEqual([
      'user',
      'user',
      'user',
    ]);
  });

  it('a wrong password answers 401 invalid_credentials and deletes nothing', async () => {
    const { user, token } = await newCookieSession(app);
    const response = await app
      .http()
      .delete('/account')
      .set('Authorization', bearer(token))
      .send({ password: 'not my password' });
    expect(response.status).toBe(401);
    expectErrorBody(response.body, 401, 'invalid_credentials');
    expect(await meStatus(app, token)).toBe(200);
    await app
      .http()
      .post('/auth/token')
      .send({ email: user.email, password: user.password })
      .expect(200);
  });

  it('needs the CSRF token with the cookie and a password in the body', async () => {
    const { cookie, csrfToken, token } = await newCookieSession(app);
    const noCsrf = await app
      .http()
      .delete('/account')
      .set('Cookie', cookie)
      .send({ password: 'x' });
    expectErrorBody(noCsrf.body, 403, 'csrf_failed');
    const noPassword = await app
      .http()
      .delete('/account')
      .set('Cookie', cookie)
      .set('X-CSRF-Token', csrfToken)
      .send({});
    expectErrorBody(noPassword.body, 400, 'validation_failed');
    expect(await meStatus(app, token)).toBe(200);
  });
});
