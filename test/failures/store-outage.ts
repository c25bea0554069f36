import { bearer, newBearerSession, registerUser } from '../support/auth-helpers';
import { CollectingLogger, trackUnhandledRejections } from '../support/collecting-logger';
import { expectErrorBody } from '../support/error-shape';
import type { TcpProxy } from '../support/tcp-proxy';
import type { TestApp } from '../support/test-app';
import { waitFor } from '../support/wait';

/** Every timeout of the backing service in these tests (statement, connect, command), in ms. */
export const OUTAGE_TIMEOUT_MS = 1000;
/** What "slow" means here: every chunk through the proxy held well past the timeouts. */
const SLOW_MS = 3 * OUTAGE_TIMEOUT_MS;
const CONCURRENT = 20;

export interface OutageTarget {
  app: TestApp;
  proxy: TcpProxy;
  /** The /health error code while this service is down. */
  healthError: string;
  /** Longest a refused request may take: the timeouts in its path, plus a generous margin. */
  boundMs: number;
  /** Checks, after recovery, that the client (pool, connection) kept nothing from the outage. */
  expectNoLeak(): Promise<void>;
  close(): Promise<void>;
}

interface Timed {
  status: number;
  body: unknown;
  ms: number;
}

/**
 * The fail-closed contract when the session store (through `proxy`) dies or hangs: guarded
 * routes answer 503 `session_store_unavailable` within a bounded time — never 500, never a hang,
 * never let through — /health answers 503, nothing crashes, and the app recovers by itself.
 */
export function describeStoreOutage(start: (logger: CollectingLogger) => Promise<OutageTarget>) {
  let target: OutageTarget;
  const logger = new CollectingLogger();
  const rejections = trackUnhandledRejections();

  beforeAll(async () => {
    target = await start(logger);
  });

  afterEach(() => {
    target?.proxy.pass();
  });

  afterAll(async () => {
    rejections.stop();
    await target?.close();
    expect(rejections.reasons).toEqual([]);
    // The guard refused; nothing reached the catch-all filter as an unexpected 500.
    expect(logger.errors.filter((line) => line.includes('Unhandled error'))).toEqual([]);
  });

  const timed = async (
    request: () => PromiseLike<{ status: number; body: unknown }>,
  ): Promise<Timed> => {
    const started = Date.now();
    const response = await request();
    return { status: response.status, body: response.body, ms: Date.now() - started };
  };

  /** CONCURRENT guarded requests at once (reads and a logout), timed one by one. */
  const guardedBurst = (token: string): Promise<Timed[]> =>
    Promise.all(
      Array.from({ length: CONCURRENT }, (_, i) => {
        const http = target.app.http();
        const path = ['/me', '/sessions', '/me', '/auth/logout'][i % 4];
        const call = path === '/auth/logout' ? http.post(path) : http.get(path);
        return timed(() => call.set('Authorization', bearer(token)));
      }),
    );

  const expectRefusedInTime = (results: Timed[]): void => {
    for (const result of results) {
      expect(result.status).toBe(503);
      expectErrorBody(result.body, 503, 'session_store_unavailable');
    }
    expect(Math.max(...results.map((r) => r.ms))).toBeLessThan(target.boundMs);
  };

  const expectRecovered = async (token: string): Promise<void> => {
    // No restart: the same app, its pool/client reconnecting by itself.
    await waitFor(
      async () => (await target.app.http().get('/me').set('Authorization', bearer(token))).status,
      (status) => status === 200,
      { timeoutMs: 10_000, intervalMs: 100 },
    );
    await target.app.http().get('/health').expect(200);
  };

  it('cut: guarded routes answer 503 session_store_unavailable at once; restored, 200 again', async () => {
    const { token } = await newBearerSession(target.app);
    await target.app.http().get('/me').set('Authorization', bearer(token)).expect(200);

    target.proxy.cut();
    expectRefusedInTime(await guardedBurst(token));
    const health = await timed(() => target.app.http().get('/health'));
    expect(health.status).toBe(503);
    expectErrorBody(health.body, 503, target.healthError);
    expect(health.ms).toBeLessThan(target.boundMs);

    target.proxy.pass();
    await expectRecovered(token);
  });

  it('slow (every reply delayed past the timeouts): 503 in bounded time; then no leak', async () => {
    const { token } = await newBearerSession(target.app);

    target.proxy.delay(SLOW_MS);
    expectRefusedInTime(await guardedBurst(token));
    // A second wave, while the first one's connections may still be stuck: same answer.
    expectRefusedInTime(await guardedBurst(token));
    const health = await timed(() => target.app.http().get('/health'));
    expect(health.status).toBe(503);
    expectErrorBody(health.body, 503, target.healthError);

    target.proxy.pass();
    await expectRecovered(token);
    await target.expectNoLeak();
  });

  it('public routes that need the store answer 503 service_unavailable too, never 500', async () => {
    const { email, password } = await registerUser(target.app);
    target.proxy.cut();
    const login = await timed(() =>
      target.app.http().post('/auth/token').send({ email, password }),
    );
    expect(login.status).toBe(503);
    expectErrorBody(login.body, 503, 'service_unavailable');
    expect(login.ms).toBeLessThan(target.boundMs);
    target.proxy.pass();
    await waitFor(
      async () => (await target.app.http().get('/health')).status,
      (status) => status === 200,
      { timeoutMs: 10_000, intervalMs: 100 },
    );
  });

  it('a session is never let through while the store is down, and the token survives it', async () => {
    const { token } = await newBearerSession(target.app);
    target.proxy.cut();
    const results = await Promise.all(
      Array.from({ length: 50 }, () =>
        target.app.http().get('/me').set('Authorization', bearer(token)),
      ),
    );
    expect(results.filter((r) => r.status !== 503).map((r) => r.status)).toEqual([]);
    target.proxy.pass();
    // Refusing under an outage did not end the session (the store was never told anything).
    await expectRecovered(token);
  });
}
