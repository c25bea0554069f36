import type { Redis } from 'ioredis';
import { REDIS_CLIENT } from '../../apps/sample-app/src/redis/redis.module';
import { describeWithPostgres } from '../support/requires-postgres';
import { TcpProxy } from '../support/tcp-proxy';
import { startTestApp } from '../support/test-app';
import { createTestDatabase } from '../support/test-database';
import { deleteRedisKeys, TEST_REDIS_URL, uniqueRedisPrefix } from '../support/test-redis';
import { describeStoreOutage, OUTAGE_TIMEOUT_MS } from './store-outage';

/*
 * SESSION_STORE=redis with Redis behind a TCP proxy (PostgreSQL, for users, stays direct).
 * REDIS_CONNECT_TIMEOUT_MS = REDIS_COMMAND_TIMEOUT_MS = 1000, and no offline queue: while Redis is
 * unreachable a command fails at once; while it is slow, after the command timeout.
 */
describeWithPostgres('Redis down or slow (through a TCP proxy)', () => {
  describeStoreOutage(async (logger) => {
    const url = new URL(TEST_REDIS_URL);
    const proxy = await TcpProxy.start({ host: url.hostname, port: Number(url.port || 6379) });
    const database = await createTestDatabase();
    const keyPrefix = uniqueRedisPrefix();
    const proxied = new URL(url);
    proxied.hostname = '127.0.0.1';
    proxied.port = String(proxy.port);
    try {
      const app = await startTestApp({
        database,
        sessionStore: {
          kind: 'redis',
          url: proxied.toString(),
          keyPrefix,
          connectTimeoutMs: OUTAGE_TIMEOUT_MS,
          commandTimeoutMs: OUTAGE_TIMEOUT_MS,
        },
        healthCheckTimeoutMs: OUTAGE_TIMEOUT_MS,
        logger,
      });
      const client = app.app.get<Redis>(REDIS_CLIENT);
      return {
        app,
        proxy,
        healthError: 'redis_unavailable',
        // A lookup is two commands (pointer, then record): 2 × command timeout, plus margin.
        boundMs: 2 * OUTAGE_TIMEOUT_MS + 2500,
        expectNoLeak: async () => {
          expect(client.status).toBe('ready');
          // Nothing parked for later: no offline queue, no command still waiting for a reply.
          const internals = client as unknown as {
            offlineQueue: { length: number };
            commandQueue: { length: number };
          };
          expect(internals.offlineQueue.length).toBe(0);
          expect(internals.commandQueue.length).toBe(0);
        },
        close: async () => {
          await app.close();
          await proxy.close();
          await deleteRedisKeys(keyPrefix);
          await database.drop();
        },
      };
    } catch (error) {
      await proxy.close();
      await database.drop();
      throw error;
    }
  });
});
