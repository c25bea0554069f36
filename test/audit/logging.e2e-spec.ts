import type { DestinationStream } from 'pino';
import { bearer, loginWithCookie, loginWithToken, registerUser } from '../support/auth-helpers';
import { AppProcess } from '../support/app-process';
import { startTestApp, type TestApp } from '../support/test-app';
import { waitFor } from '../support/wait';

interface LogLine {
  level: number;
  time: unknown;
  event?: string;
  reason?: string;
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
 * Structured logs through the app's pino logger: one short JSON line per request (method, url, route,
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
    // The line is written on the response's 'close', which may come after the client has it.
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

    // The library's SessionEvents lines go through pino as well, one per event, with the event's
    // fields as the line's own (indexable), not a JSON string in msg.
    const events = stream.lines.filter((line) => line.context === 'SessionEvents');
    expect(events.filter((line) => line.event === 'session.created')).toHaveLength(2);
    expect(events.filter((line) => line.event === 'session.revoked')).toHaveLength(2);
    expect(events.find((line) => line.sessionId === client.sessionId)).toEqual(
      expect.objectContaining({ event: 'session.created', userId: user.id }),
    );
    expect(events.find((line) => line.event === 'session.revoked')?.reason).toBe('logout');
  });

  it('logs Nest lines through pino as JSON with ISO times; the per-route boot lines are debug', () => {
    expect(stream.lines.some((line) => line.context === 'NestApplication')).toBe(true);
    expect(stream.lines.some((line) => line.context === 'RouterExplorer')).toBe(false);
    for (const line of stream.lines) {
      expect(line.time).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    }
  });
});

/** The built app as it is started: JSON in production (and in a pipe), pretty when asked for. */
describe('LOG_FORMAT', () => {
  const started: AppProcess[] = [];
  const start = async (env: Record<string, string>) => {
    const app = await AppProcess.start({ PGLITE_DATA_DIR: 'memory://', ...env }, 'logs');
    started.push(app);
    await app.http().get('/health').expect(200);
    await app.stop();
    return app.output.split('\n').filter((line) => line.trim() !== '');
  };

  afterAll(async () => {
    await Promise.all(started.map((app) => app.kill()));
  });

  it('is JSON under NODE_ENV=production: a few boot lines, then one line per request', async () => {
    const lines = await start({});
    const parsed = lines.map((line) => JSON.parse(line) as LogLine);
    expect(parsed.some((line) => line.msg?.startsWith('Listening on port'))).toBe(true);
    expect(parsed.filter((line) => line.res === undefined).length).toBeLessThan(15);
  }, 60_000);

  it('pretty gives one readable line each, with the context, and still no JSON', async () => {
    const lines = await start({ LOG_FORMAT: 'pretty' });
    expect(lines.some((line) => /\[Bootstrap\] Listening on port/.test(line))).toBe(true);
    expect(lines.some((line) => /INFO.*request completed/.test(line))).toBe(true);
    for (const line of lines) expect(line.startsWith('{')).toBe(false);
  }, 60_000);
});
