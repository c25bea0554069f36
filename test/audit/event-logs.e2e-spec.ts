import type { LoggerService } from '@nestjs/common';
import { bearer, loginWithCookie, loginWithToken, registerUser } from '../support/auth-helpers';
import { cookieHeader, setCookieToken } from '../support/security-helpers';
import { startTestApp, type TestApp } from '../support/test-app';
import { waitFor } from '../support/wait';

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

/**
 * One structured log line per session event, and never a secret in the log: logs are read by
 * more people and systems than the session table, so a token there is a session anyone can take.
 */
describe('structured event logs', () => {
  let app: TestApp;
  const logger = new CapturingLogger();

  beforeAll(async () => {
    app = await startTestApp({ logger, session: { maxPerUser: 2, limitStrategy: 'evict-oldest' } });
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
      expect(Object.keys(line).sort()).toEqual(
        ['at', 'event', 'ip', 'reason', 'sessionId', 'userId'].sort(),
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
    for (const secret of secrets.slice(0, 4)) expect(everything).not.toContain(secret.slice(0, 16));
  });
});
