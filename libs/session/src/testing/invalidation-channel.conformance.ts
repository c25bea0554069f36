import { CLIENT, type SessionTestingModule } from './session-testing.module';
import { SessionMetrics } from '../metrics/session.metrics';
import type { SessionStore } from '../store/session.store';

export interface InvalidationChannelHarness<S extends SessionStore> {
  /** Two "instances" (own store, own cache, own subscription) sharing one backend. */
  a: SessionTestingModule<S>;
  b: SessionTestingModule<S>;
  /** Breaks every invalidation subscription at the backend (terminate or kill). */
  cutChannel(): Promise<void>;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * What a `SessionInvalidationChannel` must give the validation cache: revocation reaches the other
 * instance within 100 ms (p99 of 100 trials), and a broken channel means no cache until it is
 * back. The harness holds two testing modules (`createSessionTestingModule` with `cache` on) on
 * one shared backend, each with its own channel.
 *
 * @publicApi
 */
export function describeInvalidationChannel<S extends SessionStore>(
  harness: () => InvalidationChannelHarness<S>,
): void {
  it('a revocation on one instance is refused by the other within 100 ms (p99 of 100 trials)', async () => {
    const { a, b } = harness();
    const latencies: number[] = [];
    for (let trial = 0; trial < 100; trial++) {
      const { session, token } = await a.service.create(`user-${trial}`, CLIENT);
      expect((await b.service.check(token, CLIENT)).ok).toBe(true); // cached in b
      await a.service.revoke(session.id, 'logout');
      const started = performance.now();
      while ((await b.service.check(token, CLIENT)).ok) {
        if (performance.now() - started > 2000) throw new Error('revocation never reached b');
        await pause(1);
      }
      latencies.push(performance.now() - started);
    }
    latencies.sort((x, y) => x - y);
    expect(latencies[98]).toBeLessThanOrEqual(100);
  });

  it('bypasses the cache while the channel is down and recovers by itself', async () => {
    const { a, b, cutChannel } = harness();
    const { token } = await a.service.create('user-outage', CLIENT);
    await b.service.check(token, CLIENT);
    const store: SessionStore = b.store;
    const reads = jest.spyOn(store, 'findByTokenHash');
    const bypassed = () => b.moduleRef.get(SessionMetrics).snapshot().cacheBypassed;
    expect(bypassed()).toBe(false);
    await cutChannel();
    await pause(50);
    await b.service.check(token, CLIENT);
    expect(reads).toHaveBeenCalled(); // served by the store, not the cache
    // What a readiness probe reads: this instance may miss the others' revocations meanwhile.
    expect(bypassed()).toBe(true);
    // Reconnection (backoff from 100 ms): the cache serves again.
    const deadline = Date.now() + 5000;
    let servedFromCache = false;
    while (!servedFromCache && Date.now() < deadline) {
      await pause(100);
      await b.service.check(token, CLIENT);
      reads.mockClear();
      await b.service.check(token, CLIENT);
      servedFromCache = reads.mock.calls.length === 0;
    }
    expect(servedFromCache).toBe(true);
    expect(bypassed()).toBe(false);
  });
}
