/**
 * Contract: a session ends by itself, server-side, at the idle timeout (SESSION_IDLE_TIMEOUT_SECONDS,
 * pushed back by sliding renewal while the session is used) or at the absolute timeout
 * (SESSION_ABSOLUTE_TIMEOUT_SECONDS, which no activity extends), whichever comes first. The token
 * then answers 401 session_expired and each ending is recorded as session.expired with its reason.
 *
 * Real time over HTTP: the rules themselves are unit-tested with an injected clock in the library.
 * Each block boots its own app because the timeouts differ; the sleeping is kept to one test each.
 */

import { bearer, loginWithToken, registerUser } from '../support/auth-helpers';
import { expectErrorBody } from '../support/error-shape';
import { waitForAudit } from '../support/security-helpers';
import { startTestApp, type TestApp } from '../support/test-app';
import { sleep, waitFor } from '../support/wait';

interface AuditEvent {
  type: string;
  reason: string | null;
  sessionId: string;
}

describe('session expiry: idle and absolute timeouts', () => {
  /** Tiny timeouts (idle 2 s, absolute 4 s): the reported times, then both endings in sequence. */
  describe('with idle 2 s, absolute 4 s', () => {
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

  /**
   * Both timeouts over real time (SESSION_IDLE_TIMEOUT_SECONDS=3, SESSION_ABSOLUTE_TIMEOUT_SECONDS=8).
   * The busy and the idle session run in parallel, so this block takes about 9 s.
   */
  describe('timeouts, for real (idle 3 s, absolute 8 s)', () => {
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
      const [busy, idle] = await Promise.all([
        loginWithToken(app, user),
        loginWithToken(app, user),
      ]);
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
});
