/**
 * Contract: every session event (created, rotated, renewed, revoked, expired, limit_reached,
 * replay_detected, anomaly) reaches two sinks, and neither may ever fail a request or leak a secret:
 * - the audit trail, GET /audit: the caller's own events, newest first, with the contract fields
 *   (type, sessionId, reason, ip, userAgent, at); a failing audit write is logged, never surfaced;
 * - one structured JSON log line per event, without any token, CSRF token or password.
 *
 * The two blocks boot different apps (the log block captures every log line and sets a session
 * limit to provoke limit_reached), so each has its own setup.
 */

import { Logger, type LoggerService } from '@nestjs/common';
import { getRepositoryToken } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { AuditEventEntity } from '../../apps/sample-app/src/audit/audit-event.entity';
import {
  bearer,
  loginWithCookie,
  loginWithToken,
  newBearerSession,
  registerUser,
} from '../support/auth-helpers';
import { cookieHeader, setCookieToken } from '../support/security-helpers';
import { startTestApp, type TestApp } from '../support/test-app';
import { sleep, waitFor } from '../support/wait';

interface AuditEvent {
  type: string;
  sessionId: string | null;
  reason: string | null;
  ip: string | null;
  userAgent: string | null;
  at: string;
}

/** Keeps every line the app logs, at every level, with its context. */
class CapturingLogger implements LoggerService {
  readonly lines: string[] = [];
  log = (...args: unknown[]) => this.keep(args);
  error = (...args: unknown[]) => this.keep(args);
  warn = (...args: unknown[]) => this.keep(args);
  debug = (...args: unknown[]) => this.keep(args);
  verbose = (...args: unknown[]) => this.keep(args);
  fatal = (...args: unknown[]) => this.keep(args);

  private keep(args: unknown[]): void {
    this.lines.push(args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' '));
  }
}

interface EventLine {
  event: string;
  sessionId: string | null;
  userId: string;
  reason: string | null;
}

describe('session events: the audit trail and the structured event logs', () => {
  describe('GET /audit', () => {
    let app: TestApp;

    beforeAll(async () => {
      app = await startTestApp();
    });

    afterAll(async () => {
      await app.close();
    });

    afterEach(() => {
      jest.restoreAllMocks();
    });

    /** Reads /audit; `agent` repeats the session's User-Agent, so no anomaly event interleaves. */
    const audit = async (token: string, agent?: string): Promise<AuditEvent[]> => {
      const request = app.http().get('/audit').set('Authorization', bearer(token));
      return (await (agent === undefined ? request : request.set('User-Agent', agent)).expect(200))
        .body;
    };

    it('lists the caller’s session events, newest first, with the contract fields', async () => {
      const user = await registerUser(app);
      const login = (agent: string) =>
        app
          .http()
          .post('/auth/token')
          .set('User-Agent', agent)
          .send({ email: user.email, password: user.password })
          .expect(200);
      const first = (await login('agent-one')).body;
      await sleep(5); // distinct timestamps, so the expected order is unambiguous
      const second = (await login('agent-two')).body;
      await sleep(5);
      await app
        .http()
        .delete(`/sessions/${second.session.id}`)
        .set('Authorization', bearer(first.token))
        .set('User-Agent', 'agent-one') // same client: no user_agent_changed anomaly in between
        .expect(204);

      const events = await waitFor(
        () => audit(first.token, 'agent-one'),
        (list) => list.length >= 3,
      );
      expect(events.slice(0, 3)).toEqual([
        {
          type: 'session.revoked',
          sessionId: second.session.id,
          reason: 'user',
          ip: '127.0.0.1',
          // The library reports the ended session's own client for a revocation.
          userAgent: 'agent-two',
          at: expect.any(String),
        },
        {
          type: 'session.created',
          sessionId: second.session.id,
          reason: null,
          ip: '127.0.0.1',
          userAgent: 'agent-two',
          at: expect.any(String),
        },
        {
          type: 'session.created',
          sessionId: first.session.id,
          reason: null,
          ip: '127.0.0.1',
          userAgent: 'agent-one',
          at: expect.any(String),
        },
      ]);
      const times = events.map((e) => Date.parse(e.at));
      expect(times).toEqual([...times].sort((a, b) => b - a));
    });

    it('records a logout with reason "logout"', async () => {
      const user = await registerUser(app);
      const ending = await loginWithToken(app, user);
      const watcher = await loginWithToken(app, user);
      await app.http().post('/auth/logout').set('Authorization', bearer(ending.token)).expect(204);
      const events = await waitFor(
        () => audit(watcher.token),
        (list) => list.some((e) => e.type === 'session.revoked'),
      );
      expect(events.find((e) => e.type === 'session.revoked')).toMatchObject({
        sessionId: ending.sessionId,
        reason: 'logout',
      });
    });

    it('shows no other user’s events', async () => {
      const mine = await newBearerSession(app);
      const theirs = await newBearerSession(app);
      const events = await waitFor(
        () => audit(mine.token),
        (list) => list.length >= 1,
      );
      await sleep(100);
      const ids = (await audit(mine.token)).map((e) => e.sessionId);
      expect(ids).toContain(mine.sessionId);
      expect(ids).not.toContain(theirs.sessionId);
      expect(events.every((e) => e.sessionId === mine.sessionId)).toBe(true);
    });

    it('a failing audit write is logged and never fails the request that caused the event', async () => {
      const repository = app.app.get<Repository<AuditEventEntity>>(
        getRepositoryToken(AuditEventEntity),
      );
      jest.spyOn(repository, 'insert').mockRejectedValue(new Error('audit table gone'));
      const logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
      const { token } = await newBearerSession(app);
      await app.http().get('/me').set('Authorization', bearer(token)).expect(200);
      await app.http().post('/auth/logout').set('Authorization', bearer(token)).expect(204);
      const messages = await waitFor(
        async () => logged.mock.calls.map((call) => String(call[0])),
        (lines) => lines.filter((line) => line.startsWith('Could not record')).length >= 2,
      );
      expect(messages).toEqual(
        expect.arrayContaining([
          expect.stringContaining('session.created'),
          expect.stringContaining('session.revoked'),
        ]),
      );
    });

    it('answers 401 without a session', async () => {
      await app.http().get('/audit').expect(401);
    });
  });

  /**
   * One structured log line per session event, and never a secret in the log: logs are read by
   * more people and systems than the session table, so a token there is a session anyone can take.
   */
  describe('structured event logs', () => {
    let app: TestApp;
    const logger = new CapturingLogger();

    beforeAll(async () => {
      app = await startTestApp({
        logger,
        session: { maxPerUser: 2, limitStrategy: 'evict-oldest' },
      });
    });

    afterAll(async () => {
      await app.close();
    });

    const eventLines = (): EventLine[] =>
      logger.lines.flatMap((line) => {
        const json = line.slice(line.indexOf('{'), line.lastIndexOf('}') + 1);
        try {
          const parsed = JSON.parse(json) as Partial<EventLine>;
          return typeof parsed.event === 'string' ? [parsed as EventLine] : [];
        } catch {
          return [];
        }
      });

    it('logs create, rotate, revoke, limit, replay and anomaly as JSON lines without any token', async () => {
      const user = await registerUser(app);
      const browser = await loginWithCookie(app, user);
      await app.http().get('/me').set('Cookie', browser.cookie).expect(200);
      const rotated = await app
        .http()
        .post('/auth/reauth')
        .set('Cookie', browser.cookie)
        .set('X-CSRF-Token', browser.csrfToken)
        .send({ password: user.password })
        .expect(200);
      const current = setCookieToken(rotated.headers) as string;
      await app.http().get('/me').set('Cookie', browser.cookie).expect(401); // replay
      const phone = await loginWithToken(app, user);
      await app
        .http()
        .get('/me')
        .set('Authorization', bearer(phone.token))
        .set('User-Agent', 'another agent')
        .expect(200); // anomaly
      const tablet = await loginWithToken(app, user); // evicts the oldest: limit
      await app.http().post('/auth/logout').set('Authorization', bearer(tablet.token)).expect(204);
      await app
        .http()
        .post('/auth/logout')
        .set('Cookie', cookieHeader(current))
        .set('X-CSRF-Token', rotated.body.csrfToken)
        .expect((r) => expect([204, 401]).toContain(r.status));

      const expected = [
        'session.created',
        'session.rotated',
        'session.revoked',
        'session.limit_reached',
        'session.replay_detected',
        'session.anomaly',
      ];
      const lines = await waitFor(
        async () => eventLines().filter((l) => l.userId === user.id),
        (found) => expected.every((type) => found.some((l) => l.event === type)),
      );
      for (const line of lines) {
        // Fields, not a JSON string: `msg` is the readable summary ("session.created <id>").
        expect(Object.keys(line).sort()).toEqual(
          ['at', 'event', 'ip', 'msg', 'reason', 'sessionId', 'userId'].sort(),
        );
      }

      const secrets = [
        browser.token,
        current,
        phone.token,
        tablet.token,
        browser.csrfToken,
        rotated.body.csrfToken,
        user.password,
      ];
      const everything = logger.lines.join('\n');
      for (const secret of secrets) expect(everything).not.toContain(secret);
      // Nor any recognisable fragment of a token (a prefix is enough to correlate or guess).
      for (const secret of secrets.slice(0, 4))
        expect(everything).not.toContain(secret.slice(0, 16));
    });
  });
});
