/**
 * Contract: a session's token is replaced (rotated) whenever trust in it changes, and the token it
 * replaces is dead at once:
 * - re-authentication (POST /auth/reauth) and a password change (POST /auth/password) rotate the
 *   caller's session: a new token (bearer: in an uncacheable body; cookie: a new cookie) and a new
 *   CSRF token; a password change also ends every other session of the user (reason
 *   password_change), and a wrong current password changes nothing;
 * - periodic rotation (SESSION_ROTATION_INTERVAL_SECONDS) renews an active session's token, the old
 *   one working only within the grace period;
 * - a rotated-away token used again is a replay (session.replay_detected); with
 *   SESSION_ON_REPLAY='revoke-user-sessions' it ends every session of the user.
 * Racing rotations never leave two live tokens.
 *
 * One database for every app: the blocks differ in configuration, so each boots its own app.
 */

import {
  bearer,
  DEFAULT_PASSWORD,
  findSetCookie,
  loginWithCookie,
  loginWithToken,
  newCookieSession,
  registerUser,
  SESSION_COOKIE,
  type TestUser,
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

const NEW_PASSWORD = 'a brand new passphrase';

interface AuditEvent {
  type: string;
  sessionId: string | null;
  reason: string | null;
}

describe('token rotation', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase();
  });

  afterAll(async () => {
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
    let app: TestApp;

    beforeAll(async () => {
      app = await startTestApp({ database });
    });

    afterAll(async () => {
      await app.close();
    });

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
      expect(response.body).toEqual({
        token: expect.any(String),
        token_type: 'Bearer',
        session: expect.any(Object),
      });
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

  describe('POST /auth/password (SESSION_MAX_PER_USER=10)', () => {
    let app: TestApp;

    beforeAll(async () => {
      app = await startTestApp({ database, session: { maxPerUser: 10 } });
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

    it('bearer caller: 200 { token, token_type, session }; old token dead, new one works, others revoked', async () => {
      const user = await registerUser(app);
      const caller = await loginWithToken(app, user);
      const otherBearer = await loginWithToken(app, user);
      const otherCookie = await loginWithCookie(app, user);

      const response = await change(user, { Authorization: bearer(caller.token) }).expect(200);
      expect(response.body).toEqual({
        token: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
        token_type: 'Bearer',
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
      const response = await change(user, { Authorization: bearer(caller.token) }, body).expect(
        400,
      );
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
