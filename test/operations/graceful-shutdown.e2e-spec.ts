import { request as httpRequest } from 'node:http';
import { io } from 'socket.io-client';
import { AppProcess } from '../support/app-process';
import { loginWithToken, registerUser } from '../support/auth-helpers';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

const LOGINS = 40;
const READS = 60;

/*
 * SIGTERM to the built app while requests are in flight (what a rolling deploy or a scale-in
 * does): the app stops accepting connections, lets every request it has started finish with its
 * real answer, closes its pools and exits 0. Runs on PostgreSQL (DATABASE_URL) or, without it, on
 * an in-memory embedded database of the spawned process.
 */
describe('graceful shutdown on SIGTERM', () => {
  let database: TestDatabase | undefined;
  let env: Record<string, string>;
  let app: AppProcess | undefined;
  let socketApp: AppProcess | undefined;

  beforeAll(async () => {
    env = { SESSION_MAX_PER_USER: '1000' };
    if (process.env.DATABASE_URL?.trim()) {
      database = await createTestDatabase();
      Object.assign(env, {
        DATABASE_URL: process.env.DATABASE_URL,
        DATABASE_SCHEMA: database.schema,
      });
    } else {
      env.PGLITE_DATA_DIR = 'memory://';
    }
    app = await AppProcess.start(env, 'shutdown');
  }, 180_000);

  afterAll(async () => {
    await app?.kill();
    await socketApp?.kill();
    await database?.drop();
  });

  it('finishes the in-flight requests (all 200) and exits 0', async () => {
    const running = app as AppProcess;
    const user = await registerUser(running);
    const credentials = JSON.stringify({ email: user.email, password: user.password });
    const login = () => send(running.port, 'POST', '/auth/token', {}, credentials);
    const { body } = await login();
    const { token } = JSON.parse(body) as { token: string };
    const read = () => send(running.port, 'GET', '/me', { authorization: `Bearer ${token}` });

    let signalledAt = Infinity;
    const finishedAt: number[] = [];
    const track = async (pending: Promise<{ status: number }>): Promise<number> => {
      const { status } = await pending;
      finishedAt.push(Date.now());
      return status;
    };
    // Logins are the slow requests (one argon2 verification each, on a small thread pool).
    const logins = Array.from({ length: LOGINS }, () => track(login()));
    const reads = Array.from({ length: READS }, () => track(read()));
    // Signal once every quick read is answered: by then the app has read every request (the
    // logins arrived with the reads), and the logins are still queued behind argon2. A request
    // still unread in a socket buffer would be dropped by any Node server's close(); that race
    // belongs to the load balancer's draining, not to this test.
    await Promise.all(reads);
    signalledAt = Date.now();
    running.signal('SIGTERM');

    const statuses = await Promise.all([...logins, ...reads]);
    const exit = await running.exited;

    expect(statuses.filter((status) => status !== 200)).toEqual([]);
    // The signal really came mid-flight: some requests were answered after it. On the embedded
    // database every query queues on one session, so the reads can outlast all the logins and
    // nothing is left in flight by the time they are done: the proof needs PostgreSQL (CI).
    const answeredAfterSignal = finishedAt.filter((at) => at > signalledAt).length;
    if (database) expect(answeredAfterSignal).toBeGreaterThan(0);
    else if (answeredAfterSignal === 0) console.warn('graceful shutdown: nothing was in flight');
    expect(exit).toEqual({ code: 0, signal: null });
    expect(Date.now() - signalledAt).toBeLessThan(15_000);
    // Closed for new work.
    await expect(fetch(`${running.url}/health`)).rejects.toThrow();
  }, 60_000);

  it('closes open sockets and exits 0 (an open WebSocket never holds the shutdown)', async () => {
    socketApp = await AppProcess.start(env, 'shutdown-sockets');
    const running = socketApp;
    const user = await registerUser(running);
    const { token } = await loginWithToken(running, user);
    const socket = io(`${running.url}/account`, {
      transports: ['websocket'],
      reconnection: false,
      auth: { token },
    });
    try {
      await new Promise((resolve, reject) => {
        socket.once('session', resolve);
        socket.once('connect_error', reject);
      });
      const disconnected = new Promise<string>((resolve) => socket.once('disconnect', resolve));
      const signalledAt = Date.now();
      running.signal('SIGTERM');
      // Closed by the shutdown, not told to go away: a client with reconnection on (the page's)
      // reconnects, to another instance behind the load balancer.
      expect(await disconnected).toBe('transport close');
      expect(await running.exited).toEqual({ code: 0, signal: null });
      expect(Date.now() - signalledAt).toBeLessThan(15_000);
    } finally {
      socket.close();
    }
  }, 180_000);
});

/**
 * One request on a connection of its own (no keep-alive): a pooled client could send a queued
 * request on an idle connection just as the closing server drops it, which is a client race, not
 * what this test is about.
 */
function send(
  port: number,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: string,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port,
        method,
        path,
        agent: false,
        headers: body ? { ...headers, 'content-type': 'application/json' } : headers,
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
