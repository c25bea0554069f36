import type { DestinationStream } from 'pino';
import { bearer, loginWithCookie, loginWithToken, registerUser } from '../support/auth-helpers';
import { startTestApp, type TestApp } from '../support/test-app';
import { waitFor } from '../support/wait';

interface LogLine {
  level: number;
  msg?: string;
  context?: string;
  req?: { id: unknown; method: string; url: string; headers?: unknown };
  res?: { statusCode: number; headers?: unknown };
  route?: string;
  userId?: string;
  sessionId?: string;
  responseTime?: number;
}

/** Keeps every line pino writes. */
class CapturedStream implements DestinationStream {
  readonly raw: string[] = [];

  write(line: string): void {
    this.raw.push(line);
  }

  get text(): string {
    return this.raw.join('');
  }

  get lines(): LogLine[] {
    return this.text
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as LogLine);
  }
}

/**
 * Structured logs through nestjs-pino: one short JSON line per request (method, url, route,
 * status, duration, request id, user and session id) and one per session event, and never a
 * credential — no headers, no request bodies (passwords), no token anywhere.
 */
describe('structured logs (pino)', () => {
  let app: TestApp;
  const stream = new CapturedStream();

  beforeAll(async () => {
    app = await startTestApp({ logDestination: stream, logLevel: 'info' });
  });

  afterAll(async () => {
    await app.close();
  });

  const requestLine = (method: string, url: string): LogLine | undefined =>
    stream.lines.find(
      (line) => line.req?.method === method && line.req.url === url && line.res !== undefined,
    );

  it('logs requests and session events without any token or password', async () => {
    const user = await registerUser(app);
    const browser = await loginWithCookie(app, user);
    await app.http().get('/me').set('Cookie', browser.cookie).expect(200);
    await app
      .http()
      .post('/auth/logout')
      .set('Cookie', browser.cookie)
      .set('X-CSRF-Token', browser.csrfToken)
      .expect(204);
    const client = await loginWithToken(app, user);
    await app.http().get('/me').set('Authorization', bearer(client.token)).expect(200);
    await app.http().post('/auth/logout').set('Authorization', bearer(client.token)).expect(204);
    // pino-http writes on the response's 'finish', which may come after the client has it.
    await waitFor(
      () => Promise.resolve(stream.lines.filter((line) => line.req?.url === '/auth/logout')),
      (lines) => lines.filter((line) => line.res !== undefined).length === 2,
    );

    // Never a secret, anywhere in the output.
    for (const secret of [browser.token, client.token, browser.csrfToken, user.password]) {
      expect(stream.text).not.toContain(secret);
    }
    expect(stream.text).not.toContain(browser.setCookie);

    // One short line per request: no header maps, the ids of who asked.
    const requestLines = stream.lines.filter((line) => line.res !== undefined);
    expect(requestLines.length).toBeGreaterThanOrEqual(6);
    for (const line of requestLines) {
      expect(line.req?.headers).toBeUndefined();
      expect(line.res?.headers).toBeUndefined();
      expect(line.req?.id).toBeDefined();
      expect(typeof line.responseTime).toBe('number');
    }
    expect(requestLine('POST', '/auth/login')?.res?.statusCode).toBe(200);
    const me = requestLines.filter((line) => line.req?.url === '/me');
    expect(me.map(({ route, userId, sessionId }) => ({ route, userId, sessionId }))).toEqual([
      { route: '/me', userId: user.id, sessionId: browser.sessionId },
      { route: '/me', userId: user.id, sessionId: client.sessionId },
    ]);
    expect(requestLine('POST', '/auth/register')?.res?.statusCode).toBe(201);

    // The library's SessionEvents lines go through pino as well, one per event.
    const events = stream.lines
      .filter((line) => line.context === 'SessionEvents' && line.msg?.startsWith('{'))
      .map((line) => (JSON.parse(line.msg as string) as { event: string }).event);
    expect(events.filter((event) => event === 'session.created')).toHaveLength(2);
    expect(events.filter((event) => event === 'session.revoked')).toHaveLength(2);
  });

  it('logs Nest lines (bootstrap, routes) through pino as JSON', () => {
    expect(stream.lines.some((line) => line.context === 'RoutesResolver')).toBe(true);
  });
});
