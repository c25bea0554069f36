import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { describeWithRedis } from '../../../testing/requires-redis';
import { CLIENT, createSessionTestingModule } from '../../../testing/session-testing-module';
import type { SessionTestingModule } from '../../../testing/session-testing-module';
import { SessionValidationCache } from '../../cache/session-validation.cache';
import { RedisSessionStore } from './redis-session.store';

const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Two "instances" (own client, store and cache) sharing one Redis and one key prefix. */
describeWithRedis('validation cache over Redis pub/sub', () => {
  const prefix = `test-cache-${randomBytes(4).toString('hex')}`;
  const clients: Redis[] = [];
  let a: SessionTestingModule<RedisSessionStore>;
  let b: SessionTestingModule<RedisSessionStore>;

  const instance = async () => {
    const client = new Redis(url, { maxRetriesPerRequest: 1 });
    clients.push(client);
    const t = await createSessionTestingModule(
      { cache: { ttl: 3600 } },
      { store: new RedisSessionStore(client, { prefix }) },
    );
    await t.moduleRef.get(SessionValidationCache).onApplicationBootstrap();
    return t;
  };

  beforeAll(async () => {
    a = await instance();
    b = await instance();
  });
  afterAll(async () => {
    await a?.moduleRef.get(SessionValidationCache).onApplicationShutdown();
    await b?.moduleRef.get(SessionValidationCache).onApplicationShutdown();
    const keys = await clients[0].keys(`${prefix}:*`);
    if (keys.length > 0) await clients[0].del(...keys);
    await Promise.all(clients.map((client) => client.quit()));
  });

  it('a revocation on one instance is refused by the other within 100 ms (p99 of 100 trials)', async () => {
    const latencies: number[] = [];
    for (let trial = 0; trial < 100; trial++) {
      const { session, token } = await a.service.create(`user-${trial}`, CLIENT);
      expect((await b.service.authenticate(token, CLIENT)).ok).toBe(true);
      await a.service.revoke(session.id, 'logout');
      const started = performance.now();
      while ((await b.service.authenticate(token, CLIENT)).ok) {
        if (performance.now() - started > 2000) throw new Error('revocation never reached b');
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
      latencies.push(performance.now() - started);
    }
    latencies.sort((x, y) => x - y);
    expect(latencies[98]).toBeLessThanOrEqual(100);
  });

  it('bypasses the cache while the subscriber is gone and recovers by itself', async () => {
    const { token } = await a.service.create('user-outage', CLIENT);
    await b.service.authenticate(token, CLIENT);
    const reads = jest.spyOn(b.store, 'findByTokenHash');
    await clients[0].client('KILL', 'TYPE', 'pubsub');
    await new Promise((resolve) => setTimeout(resolve, 50));
    await b.service.authenticate(token, CLIENT);
    expect(reads).toHaveBeenCalled();
    const deadline = Date.now() + 5000;
    let servedFromCache = false;
    while (!servedFromCache && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      await b.service.authenticate(token, CLIENT);
      reads.mockClear();
      await b.service.authenticate(token, CLIENT);
      servedFromCache = reads.mock.calls.length === 0;
    }
    expect(servedFromCache).toBe(true);
  });
});
