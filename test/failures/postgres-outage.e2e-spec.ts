import { SOCKET_IO_POOL_SIZE } from '../../apps/sample-app/src/live/socket-fan-out';
import { postgresUrl, describeWithPostgres } from '../support/requires-postgres';
import { TcpProxy } from '../support/tcp-proxy';
import { startTestApp } from '../support/test-app';
import { createTestDatabase } from '../support/test-database';
import { describeStoreOutage, OUTAGE_TIMEOUT_MS } from './store-outage';

/** The part of node-postgres' Pool these checks read. */
interface PgPoolStats {
  totalCount: number;
  idleCount: number;
  waitingCount: number;
  options: { max: number };
}

/*
 * PostgreSQL (sessions and users) behind a TCP proxy that the tests cut and slow down. The app
 * has DATABASE_STATEMENT_TIMEOUT_MS = DATABASE_CONNECT_TIMEOUT_MS = 1000: a request waits at most
 * for a pooled connection (connect timeout) plus one statement (query_timeout = statement + 500).
 */
describeWithPostgres('PostgreSQL down or slow (through a TCP proxy)', () => {
  describeStoreOutage(async (logger) => {
    const url = new URL(postgresUrl());
    const proxy = await TcpProxy.start({ host: url.hostname, port: Number(url.port || 5432) });
    const database = await createTestDatabase();
    const proxied = new URL(url);
    proxied.hostname = '127.0.0.1';
    proxied.port = String(proxy.port);
    if (database.config.kind !== 'postgres') throw new Error('expected PostgreSQL');
    try {
      const app = await startTestApp({
        database: { ...database, config: { ...database.config, url: proxied.toString() } },
        databaseTimeouts: { statementMs: OUTAGE_TIMEOUT_MS, connectMs: OUTAGE_TIMEOUT_MS },
        healthCheckTimeoutMs: OUTAGE_TIMEOUT_MS,
        logger,
      });
      const pool = (app.dataSource.driver as unknown as { master: PgPoolStats }).master;
      return {
        app,
        proxy,
        healthError: 'database_unavailable',
        // connect (1000) + query_timeout (1500) + a wide margin for 2 shared cores.
        boundMs: 2 * OUTAGE_TIMEOUT_MS + 500 + 2500,
        expectNoLeak: async () => {
          // Stuck clients were destroyed rather than returned: nobody waits, nothing over max.
          expect(pool.waitingCount).toBe(0);
          expect(pool.totalCount).toBeLessThanOrEqual(pool.options.max);
          expect(pool.idleCount).toBeLessThanOrEqual(pool.totalCount);
          // Every proxied connection belongs to a live pool client, to the invalidation
          // channel's one listening connection or to the socket.io fan-out's small pool (two
          // sockets each).
          expect(proxy.openSockets).toBeLessThanOrEqual(
            2 * (pool.totalCount + 1 + SOCKET_IO_POOL_SIZE),
          );
        },
        close: async () => {
          await app.close();
          await proxy.close();
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
