/**
 * Contract: SESSION_MAX_PER_USER caps the live sessions of a user (a number, or a function of the
 * user). Over the limit, evict-oldest and evict-least-recent end a session (session.revoked, reason
 * limit) and reject answers 409 session_limit_reached; either way session.limit_reached is emitted.
 * Credentials are checked first, and a logout frees a slot. Under racing logins the per-user
 * check-and-insert is serialized in the database, so 30 simultaneous logins can never leave more
 * than the limit alive (a read-then-act check lets several racers see "2 of 3" and all insert).
 *
 * One database for every app: each strategy and limit gets its own app, but booting several
 * databases is waste.
 */

import { EventEmitter2 } from '@nestjs/event-emitter';
import { type SessionLimitReachedEvent, SessionEvents } from '@app/session';
import { bearer, loginWithToken, registerUser, type TestUser } from '../support/auth-helpers';
import { expectErrorBody } from '../support/error-shape';
import { countWorking, parallelTokenLogins, waitForAudit } from '../support/security-helpers';
import { startTestApp, type TestApp } from '../support/test-app';
import { createTestDatabase, type TestDatabase } from '../support/test-database';
import { sleep } from '../support/wait';

const LOGINS = 30;
const LIMIT = 3;

describe('SESSION_MAX_PER_USER', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase();
  });

  afterAll(async () => {
    await database.drop();
  });

  describe('with evict-oldest', () => {
    let app: TestApp;

    beforeAll(async () => {
      app = await startTestApp({
        database,
        session: { maxPerUser: 2, limitStrategy: 'evict-oldest' },
      });
    });

    afterAll(async () => {
      await app.close();
    });

    it('a login over the limit revokes the oldest session (reason limit)', async () => {
      const user = await registerUser(app);
      const oldest = await loginWithToken(app, user);
      await sleep(5);
      const middle = await loginWithToken(app, user);
      await sleep(5);
      const newest = await loginWithToken(app, user);

      await app.http().get('/me').set('Authorization', bearer(oldest.token)).expect(401);
      await app.http().get('/me').set('Authorization', bearer(middle.token)).expect(200);
      await app.http().get('/me').set('Authorization', bearer(newest.token)).expect(200);
      const listed = await app
        .http()
        .get('/sessions')
        .set('Authorization', bearer(newest.token))
        .expect(200);
      expect(listed.body.map((s: { id: string }) => s.id).sort()).toEqual(
        [middle.sessionId, newest.sessionId].sort(),
      );
    });
  });

  describe('with reject', () => {
    let app: TestApp;

    beforeAll(async () => {
      app = await startTestApp({ database, session: { maxPerUser: 2, limitStrategy: 'reject' } });
    });

    afterAll(async () => {
      await app.close();
    });

    it.each(['/auth/login', '/auth/token'])(
      '%s over the limit answers 409 session_limit_reached and leaves the others alone',
      async (path) => {
        const user = await registerUser(app);
        const first = await loginWithToken(app, user);
        const second = await loginWithToken(app, user);
        const response = await app
          .http()
          .post(path)
          .send({ email: user.email, password: user.password })
          .expect(409);
        expectErrorBody(response.body, 409, 'session_limit_reached');
        expect(response.headers['set-cookie']).toBeUndefined();
        await app.http().get('/me').set('Authorization', bearer(first.token)).expect(200);
        await app.http().get('/me').set('Authorization', bearer(second.token)).expect(200);
      },
    );

    it('a wrong password still answers 401 at the limit (credentials are checked first)', async () => {
      const user = await registerUser(app);
      await loginWithToken(app, user);
      await loginWithToken(app, user);
      await app
        .http()
        .post('/auth/token')
        .send({ email: user.email, password: 'wrong password' })
        .expect(401);
    });

    it('a logout frees a slot', async () => {
      const user = await registerUser(app);
      const first = await loginWithToken(app, user);
      await loginWithToken(app, user);
      await app.http().post('/auth/logout').set('Authorization', bearer(first.token)).expect(204);
      await loginWithToken(app, user);
    });
  });

  describe('under concurrency', () => {
    const apps: TestApp[] = [];

    const start = async (session: Parameters<typeof startTestApp>[0] = {}) => {
      const app = await startTestApp({ database, ...session });
      apps.push(app);
      return app;
    };

    /** Every limit_reached event the app emits, with its evicted session ids. */
    const captureLimitEvents = (app: TestApp): SessionLimitReachedEvent[] => {
      const events: SessionLimitReachedEvent[] = [];
      app.app
        .get(EventEmitter2)
        .on(SessionEvents.LIMIT_REACHED, (event: SessionLimitReachedEvent) => events.push(event));
      return events;
    };

    afterAll(async () => {
      for (const app of apps) await app.close();
    });

    describe.each(['evict-oldest', 'evict-least-recent'] as const)('with %s', (strategy) => {
      let app: TestApp;
      let limitEvents: SessionLimitReachedEvent[];

      beforeAll(async () => {
        app = await start({ session: { maxPerUser: LIMIT, limitStrategy: strategy } });
        limitEvents = captureLimitEvents(app);
      });

      it(`30 simultaneous logins leave exactly ${LIMIT} live sessions and ${LIMIT} working tokens`, async () => {
        const user = await registerUser(app);
        const responses = await parallelTokenLogins(app, user, LOGINS);
        expect(responses.map((r) => r.status)).toEqual(Array(LOGINS).fill(200));
        const tokens = responses.map((r) => r.body.token as string);
        const ids = responses.map((r) => r.body.session.id as string);

        expect(await countWorking(app, tokens)).toBe(LIMIT);
        const survivor = tokens[(await Promise.all(tokens.map((t) => meOk(app, t)))).indexOf(true)];
        const listed = await app.http().get('/sessions').set('Authorization', bearer(survivor));
        expect(listed.body).toHaveLength(LIMIT);

        // Each eviction is reported: limit_reached names the strategy and the evicted ids, and every
        // evicted session has its own session.revoked (reason limit) in the user's audit trail.
        const evicted = limitEvents
          .filter((e) => e.userId === user.id)
          .flatMap((e) => {
            expect(e.strategy).toBe(strategy);
            return e.evictedSessionIds;
          });
        const live = new Set(listed.body.map((s: { id: string }) => s.id));
        expect(evicted.sort()).toEqual(ids.filter((id) => !live.has(id)).sort());
        const audit = await waitForAudit(
          app,
          survivor,
          (events) => events.filter((e) => e.reason === 'limit').length >= LOGINS - LIMIT,
        );
        expect(audit.filter((e) => e.type === 'session.limit_reached').length).toBeGreaterThan(0);
        expect(
          audit
            .filter((e) => e.type === 'session.revoked' && e.reason === 'limit')
            .map((e) => e.sessionId)
            .sort(),
        ).toEqual(evicted.sort());
      });
    });

    it('evict-least-recent evicts the least recently active session, not the oldest', async () => {
      // idle 10 s → touchInterval 1 s: a request more than 1 s after login moves lastSeenAt.
      const app = await start({
        session: { maxPerUser: LIMIT, limitStrategy: 'evict-least-recent', idleTimeoutSeconds: 10 },
      });
      const user = await registerUser(app);
      const oldest = await loginWithToken(app, user);
      const middle = await loginWithToken(app, user);
      const newest = await loginWithToken(app, user);
      await sleep(1100);
      await app.http().get('/me').set('Authorization', bearer(oldest.token)).expect(200);
      const extra = await loginWithToken(app, user);

      // evict-oldest would have ended `oldest`; it is the most recently active one now.
      expect(await meOk(app, oldest.token)).toBe(true);
      expect(await meOk(app, middle.token)).toBe(false);
      expect(await meOk(app, newest.token)).toBe(true);
      expect(await meOk(app, extra.token)).toBe(true);
    });

    describe('with reject', () => {
      let app: TestApp;
      let limitEvents: SessionLimitReachedEvent[];

      beforeAll(async () => {
        app = await start({ session: { maxPerUser: LIMIT, limitStrategy: 'reject' } });
        limitEvents = captureLimitEvents(app);
      });

      it(`30 simultaneous logins: exactly ${LIMIT} succeed, 27 get 409 session_limit_reached`, async () => {
        const user = await registerUser(app);
        const first = await parallelTokenLogins(app, user, LOGINS);
        const accepted = first.filter((r) => r.status === 200);
        const refused = first.filter((r) => r.status === 409);
        expect(accepted).toHaveLength(LIMIT);
        expect(refused).toHaveLength(LOGINS - LIMIT);
        for (const response of refused)
          expectErrorBody(response.body, 409, 'session_limit_reached');
        const tokens = accepted.map((r) => r.body.token as string);

        // A second wave at the limit is refused entirely, and the existing sessions stay untouched.
        const second = await parallelTokenLogins(app, user, LOGINS);
        expect(second.map((r) => r.status)).toEqual(Array(LOGINS).fill(409));
        expect(await countWorking(app, tokens)).toBe(LIMIT);

        const rejected = limitEvents.filter((e) => e.userId === user.id);
        expect(rejected).toHaveLength(2 * LOGINS - LIMIT);
        expect(
          rejected.every((e) => e.strategy === 'reject' && e.evictedSessionIds.length === 0),
        ).toBe(true);
        const audit = await waitForAudit(
          app,
          tokens[0],
          (events) => events.filter((e) => e.type === 'session.limit_reached').length >= 57,
        );
        expect(audit.some((e) => e.type === 'session.revoked')).toBe(false);
      });
    });

    it('the limit may be a function of the user (per-role limits)', async () => {
      const limits = new Map<string, number>();
      const app = await start({
        session: {
          // Async on purpose: a real app would look the role up.
          maxPerUser: async (userId: string) => limits.get(userId) ?? 1,
          limitStrategy: 'reject',
        },
      });
      const admin: TestUser = await registerUser(app);
      const member: TestUser = await registerUser(app);
      limits.set(admin.id, 4);
      const [forAdmin, forMember] = await Promise.all([
        parallelTokenLogins(app, admin, 10),
        parallelTokenLogins(app, member, 10),
      ]);
      expect(forAdmin.filter((r) => r.status === 200)).toHaveLength(4);
      expect(forMember.filter((r) => r.status === 200)).toHaveLength(1);
      expect([...forAdmin, ...forMember].every((r) => r.status === 200 || r.status === 409)).toBe(
        true,
      );
    });
  });
});

async function meOk(app: TestApp, token: string): Promise<boolean> {
  return (await app.http().get('/me').set('Authorization', bearer(token))).status === 200;
}
