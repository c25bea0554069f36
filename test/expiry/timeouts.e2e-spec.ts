import { bearer, loginWithToken, registerUser } from '../support/auth-helpers';
import { expectErrorBody } from '../support/error-shape';
import { waitForAudit } from '../support/security-helpers';
import { startTestApp, type TestApp } from '../support/test-app';
import { sleep } from '../support/wait';

/**
 * Both timeouts over real time (SESSION_IDLE_TIMEOUT_SECONDS=3, SESSION_ABSOLUTE_TIMEOUT_SECONDS=8).
 * The busy and the idle session run in parallel, so the whole file takes about 9 s.
 */
describe('timeouts, for real', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({ session: { idleTimeoutSeconds: 3, absoluteTimeoutSeconds: 8 } });
  });

  afterAll(async () => {
    await app.close();
  });

  const me = (token: string) => app.http().get('/me').set('Authorization', bearer(token));

  it('a session used every second lives until the 8 s absolute timeout; one left alone 4 s dies of idleness', async () => {
    const user = await registerUser(app);
    const [busy, idle] = await Promise.all([loginWithToken(app, user), loginWithToken(app, user)]);
    const loggedInAt = Date.now();
    const absoluteAt = Date.parse(
      (await me(busy.token).expect(200)).body.session.absoluteExpiresAt,
    );

    const keepBusy = async () => {
      let uses = 0;
      // Every second, until safely short of the absolute expiry: always 200 (sliding renewal).
      while (Date.now() + 1000 < absoluteAt - 300) {
        await sleep(1000);
        await me(busy.token).expect(200);
        uses += 1;
      }
      expect(uses).toBeGreaterThanOrEqual(5); // well past the 3 s idle timeout
      await sleep(Math.max(0, absoluteAt + 300 - Date.now()));
      return me(busy.token);
    };
    const leaveIdle = async () => {
      await sleep(Math.max(0, loggedInAt + 4000 - Date.now()));
      return me(idle.token);
    };
    const [busyEnd, idleEnd] = await Promise.all([keepBusy(), leaveIdle()]);

    expect(idleEnd.status).toBe(401);
    expectErrorBody(idleEnd.body, 401, 'session_expired');
    expect(busyEnd.status).toBe(401);
    expectErrorBody(busyEnd.body, 401, 'session_expired');

    const watcher = await loginWithToken(app, user);
    const events = await waitForAudit(
      app,
      watcher.token,
      (list) => list.filter((e) => e.type === 'session.expired').length >= 2,
    );
    expect(
      events
        .filter((e) => e.type === 'session.expired')
        .map((e) => [e.sessionId, e.reason])
        .sort(),
    ).toEqual(
      [
        [busy.sessionId, 'absolute'],
        [idle.sessionId, 'idle'],
      ].sort(),
    );
  }, 30_000);
});
