import { openTestDataSource, type TestDataSource } from '../../../testing/postgres-test-schema';
import { CLIENT, createSessionTestingModule } from '../../../testing/session-testing-module';
import type { SessionTestingModule } from '../../../testing/session-testing-module';
import { SessionValidationCache } from '../../cache/session-validation.cache';
import { LISTENER_APPLICATION_NAME } from './pg-notify-invalidation.channel';
import { TypeOrmSessionStore } from './typeorm-session.store';

const url = process.env.DATABASE_URL;
const describeWithPostgres = url ? describe : describe.skip;
if (!url) {
  console.warn('Skipped: the LISTEN/NOTIFY cache tests need a PostgreSQL server (DATABASE_URL).');
}

/** Two "instances" (own store, own cache, own LISTEN connection) sharing one database. */
describeWithPostgres('validation cache over PostgreSQL LISTEN/NOTIFY', () => {
  let db: TestDataSource;
  let a: SessionTestingModule<TypeOrmSessionStore>;
  let b: SessionTestingModule<TypeOrmSessionStore>;

  const instance = async () => {
    const t = await createSessionTestingModule(
      { cache: { ttl: 3600 } },
      { store: new TypeOrmSessionStore(db.dataSource) },
    );
    await t.moduleRef.get(SessionValidationCache).onApplicationBootstrap();
    return t;
  };

  beforeAll(async () => {
    db = await openTestDataSource(url!);
    a = await instance();
    b = await instance();
  });
  afterAll(async () => {
    await a?.moduleRef.get(SessionValidationCache).onApplicationShutdown();
    await b?.moduleRef.get(SessionValidationCache).onApplicationShutdown();
    await db?.close();
  });

  it('a revocation on one instance is refused by the other within 100 ms (p99 of 100 trials)', async () => {
    const latencies: number[] = [];
    for (let trial = 0; trial < 100; trial++) {
      const { session, token } = await a.service.create(`user-${trial}`, CLIENT);
      expect((await b.service.authenticate(token, CLIENT)).ok).toBe(true); // cached in b
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

  it('bypasses the cache while the channel is down and recovers by itself', async () => {
    const { token } = await a.service.create('user-outage', CLIENT);
    await b.service.authenticate(token, CLIENT);
    const reads = jest.spyOn(b.store, 'findByTokenHash');
    await db.dataSource.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1`,
      [LISTENER_APPLICATION_NAME],
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    await b.service.authenticate(token, CLIENT);
    expect(reads).toHaveBeenCalled(); // served by the store, not the cache
    // Reconnection (backoff from 100 ms): the cache serves again.
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
