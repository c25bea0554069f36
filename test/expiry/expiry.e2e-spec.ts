import { bearer, loginWithToken, registerUser } from '../support/auth-helpers';
import { expectErrorBody } from '../support/error-shape';
import { startTestApp, type TestApp } from '../support/test-app';
import { sleep, waitFor } from '../support/wait';

interface AuditEvent {
  type: string;
  reason: string | null;
  sessionId: string;
}

/**
 * Real-time expiry over HTTP. Timeouts are tiny (idle 2 s, absolute 4 s) and the sleeping is kept to
 * one test: the rules themselves are unit-tested with an injected clock in the library.
 */
describe('session expiry', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({ session: { idleTimeoutSeconds: 2, absoluteTimeoutSeconds: 4 } });
  });

  afterAll(async () => {
    await app.close();
  });

  it('reports expiry times that match the configured timeouts', async () => {
    const user = await registerUser(app);
    const response = await app
      .http()
      .post('/auth/token')
      .send({ email: user.email, password: user.password })
      .expect(200);
    const { createdAt, expiresAt, absoluteExpiresAt } = response.body.session;
    expect(Date.parse(expiresAt) - Date.parse(createdAt)).toBe(2000);
    expect(Date.parse(absoluteExpiresAt) - Date.parse(createdAt)).toBe(4000);
  });

  it('idle sessions die after 2 s, busy ones live until the 4 s absolute limit', async () => {
    const user = await registerUser(app);
    const idle = await loginWithToken(app, user);
    const busy = await loginWithToken(app, user);

    // Keep one session busy for 3 s (sliding renewal) while the other sits idle past 2 s.
    for (let i = 0; i < 6; i += 1) {
      await sleep(500);
      await app.http().get('/me').set('Authorization', bearer(busy.token)).expect(200);
    }
    const expired = await app.http().get('/me').set('Authorization', bearer(idle.token));
    expect(expired.status).toBe(401);
    expectErrorBody(expired.body, 401);

    // ~4.2 s after login and 1.2 s after its last use: only the absolute limit can end it now.
    await sleep(1200);
    const tooOld = await app.http().get('/me').set('Authorization', bearer(busy.token));
    expect(tooOld.status).toBe(401);

    const watcher = await loginWithToken(app, user);
    const events = await waitFor(
      async () =>
        (await app.http().get('/audit').set('Authorization', bearer(watcher.token)))
          .body as AuditEvent[],
      (list) => list.filter((e) => e.type === 'session.expired').length >= 2,
    );
    const expiries = events
      .filter((e) => e.type === 'session.expired')
      .map((e) => [e.sessionId, e.reason]);
    expect(expiries.sort()).toEqual(
      [
        [idle.sessionId, 'idle'],
        [busy.sessionId, 'absolute'],
      ].sort(),
    );
  }, 20_000);
});
