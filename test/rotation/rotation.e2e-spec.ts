import {
  bearer,
  DEFAULT_PASSWORD,
  loginWithCookie,
  loginWithToken,
  newCookieSession,
  registerUser,
} from '../support/auth-helpers';
import { expectErrorBody } from '../support/error-shape';
import {
  auditRows,
  cookieHeader,
  countWorking,
  meStatus,
  setCookieToken,
  waitForAudit,
} from '../support/security-helpers';
import { startTestApp, type TestApp } from '../support/test-app';
import { createTestDatabase, type TestDatabase } from '../support/test-database';
import { sleep, waitFor } from '../support/wait';

describe('token rotation', () => {
  let database: TestDatabase;
  let app: TestApp;

  beforeAll(async () => {
    database = await createTestDatabase();
    app = await startTestApp({ database });
  });

  afterAll(async () => {
    await app.close();
    await database.drop();
  });

  const reauth = (target: TestApp, cookie: string, csrf: string, password = DEFAULT_PASSWORD) =>
    target
      .http()
      .post('/auth/reauth')
      .set('Cookie', cookie)
      .set('X-CSRF-Token', csrf)
      .send({ password });

  describe('POST /auth/reauth', () => {
    it('rotates: the old token is dead at once, the new one works, the CSRF token changes', async () => {
      const login = await newCookieSession(app);
      const response = await reauth(app, login.cookie, login.csrfToken).expect(200);
      const issued = setCookieToken(response.headers) as string;

      expect(response.body).toEqual({
        csrfToken: expect.any(String),
        session: expect.objectContaining({ id: login.sessionId }),
      });
      expect(issued).toBeDefined();
      expect(issued).not.toBe(login.token);
      expect(response.body.csrfToken).not.toBe(login.csrfToken);
      await app.http().get('/me').set('Cookie', login.cookie).expect(401);
      await app.http().get('/me').set('Cookie', cookieHeader(issued)).expect(200);
    });

    it('answers a bearer caller with a new token in an uncacheable body', async () => {
      const user = await registerUser(app);
      const login = await loginWithToken(app, user);
      const response = await app
        .http()
        .post('/auth/reauth')
        .set('Authorization', bearer(login.token))
        .send({ password: user.password })
        .expect(200);
      expect(response.body).toEqual({ token: expect.any(String), session: expect.any(Object) });
      expect(response.headers['cache-control']).toBe('no-store');
      expect(response.headers['set-cookie']).toBeUndefined();
      expect(await meStatus(app, login.token)).toBe(401);
      expect(await meStatus(app, response.body.token)).toBe(200);
    });

    it('a wrong password answers 401 invalid_credentials and rotates nothing', async () => {
      const login = await newCookieSession(app);
      const response = await reauth(app, login.cookie, login.csrfToken, 'not the password');
      expect(response.status).toBe(401);
      expectErrorBody(response.body, 401, 'invalid_credentials');
      expect(response.headers['set-cookie']).toBeUndefined();
      await app.http().get('/me').set('Cookie', login.cookie).expect(200);
    });

    it('two requests racing a rotation never leave two live tokens, and the original dies', async () => {
      for (let round = 0; round < 5; round += 1) {
        const login = await newCookieSession(app);
        const responses = await Promise.all([
          reauth(app, login.cookie, login.csrfToken),
          reauth(app, login.cookie, login.csrfToken),
        ]);
        for (const r of responses) expect([200, 401]).toContain(r.status);
        const issued = responses
          .map((r) => setCookieToken(r.headers))
          .filter((t): t is string => t !== undefined);
        expect(issued.length).toBeGreaterThanOrEqual(1);
        expect(await meStatus(app, login.token)).toBe(401);
        expect(await countWorking(app, issued)).toBe(1);
      }
    });
  });

  describe('periodic rotation (SESSION_ROTATION_INTERVAL_SECONDS=2, GRACE=2)', () => {
    let periodic: TestApp;

    beforeAll(async () => {
      periodic = await startTestApp({
        database,
        // A grace longer than the interval is refused at boot, so both are 2 s.
        session: { rotationIntervalSeconds: 2, rotationGraceSeconds: 2 },
      });
    });

    afterAll(async () => {
      await periodic.close();
    });

    it('renews the token of an active session; the old one works within grace, then is a replay', async () => {
      const login = await newCookieSession(periodic);
      await sleep(2100);
      // Parallel in-flight requests of one browser: all succeed, exactly one gets the new cookie.
      const burst = await Promise.all(
        [1, 2, 3].map(() => periodic.http().get('/me').set('Cookie', login.cookie)),
      );
      expect(burst.map((r) => r.status)).toEqual([200, 200, 200]);
      const renewed = burst
        .map((r) => setCookieToken(r.headers))
        .filter((t): t is string => t !== undefined);
      expect(renewed).toHaveLength(1);
      expect(renewed[0]).not.toBe(login.token);

      // Within the grace period the old token still works (and causes no second rotation).
      const late = await periodic.http().get('/me').set('Cookie', login.cookie).expect(200);
      expect(setCookieToken(late.headers)).toBeUndefined();

      await sleep(2200);
      const replayed = await periodic.http().get('/me').set('Cookie', login.cookie);
      expect(replayed.status).toBe(401);
      // Bearer requests never rotate, so the renewed token can read the audit trail as is.
      const events = await waitForAudit(periodic, renewed[0], (list) =>
        list.some((e) => e.type === 'session.replay_detected'),
      );
      expect(events.find((e) => e.type === 'session.replay_detected')).toMatchObject({
        sessionId: login.sessionId,
      });
      expect(events.some((e) => e.type === 'session.rotated')).toBe(true);
    });
  });

  describe("SESSION_ON_REPLAY='revoke-user-sessions'", () => {
    let strict: TestApp;

    beforeAll(async () => {
      strict = await startTestApp({ database, session: { onReplay: 'revoke-user-sessions' } });
    });

    afterAll(async () => {
      await strict.close();
    });

    it('a replayed rotated token ends every session of the user (reason replay)', async () => {
      const user = await registerUser(strict);
      const browser = await loginWithCookie(strict, user);
      const phone = await loginWithToken(strict, user);
      const rotated = await reauth(strict, browser.cookie, browser.csrfToken).expect(200);
      const current = setCookieToken(rotated.headers) as string;
      expect(await meStatus(strict, current)).toBe(200);

      // The thief replays the token they stole before the rotation.
      await strict.http().get('/me').set('Cookie', browser.cookie).expect(401);

      expect(await meStatus(strict, current)).toBe(401);
      expect(await meStatus(strict, phone.token)).toBe(401);
      const rows = await waitFor(
        () => auditRows(strict, user.id),
        (list) => list.filter((e) => e.reason === 'replay').length >= 2,
      );
      expect(rows.some((e) => e.type === 'session.replay_detected')).toBe(true);
      expect(
        rows
          .filter((e) => e.type === 'session.revoked' && e.reason === 'replay')
          .map((e) => e.sessionId)
          .sort(),
      ).toEqual([browser.sessionId, phone.sessionId].sort());
    });
  });
});
