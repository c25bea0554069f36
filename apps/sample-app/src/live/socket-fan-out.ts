import { Logger } from '@nestjs/common';
import { createAdapter as createPostgresAdapter } from '@socket.io/postgres-adapter';
import { createAdapter as createRedisAdapter } from '@socket.io/redis-adapter';
import { Pool } from 'pg';
import type { ServerOptions } from 'socket.io';
import type { AppConfig } from '../config/app-config';
import { postgresTimeouts } from '../config/database.config';
import { closeRedis, connectRedis } from '../redis/redis-client';
import { ListenerPool } from './listener-pool';

/** What socket.io's `server.adapter()` takes: one adapter per namespace. */
export type SocketAdapterFactory = NonNullable<ServerOptions['adapter']>;

/**
 * How one instance's `namespace.to(room).emit()` reaches the sockets open on every instance:
 * socket.io's maintained adapters, on the service the instances already share.
 * - Sessions in Redis: `@socket.io/redis-adapter` (pub/sub) on two connections of its own.
 * - Sessions in PostgreSQL: `@socket.io/postgres-adapter` (LISTEN/NOTIFY) on a small pool of its own,
 *   so its listening connection is never taken from the pool requests use.
 * - The embedded database: one process only, so socket.io's in-memory default (`adapter` undefined).
 */
export interface SocketFanOut {
  readonly kind: 'redis' | 'postgres' | 'in-memory';
  readonly adapter: SocketAdapterFactory | undefined;
  /** Closes the connections; call once socket.io has closed its namespaces. */
  close(): Promise<void>;
}

export const SOCKET_IO_APPLICATION_NAME = 'sample-app-socket.io';
/** The PostgreSQL adapter's own pool: one connection LISTENs for as long as the app runs, one NOTIFYs. */
export const SOCKET_IO_POOL_SIZE = 2;

export async function openSocketFanOut(
  config: AppConfig,
  logger = new Logger('SocketFanOut'),
): Promise<SocketFanOut> {
  const store = config.sessionStore;
  if (store.kind === 'redis') {
    // connectRedis: fail-fast commands, endless reconnects (which resubscribe), one log line per outage.
    const publisher = await connectRedis(store, logger);
    const subscriber = await connectRedis(store, logger).catch(async (error: unknown) => {
      await closeRedis(publisher);
      throw error;
    });
    return {
      kind: 'redis',
      adapter: createRedisAdapter(publisher, subscriber, { key: `${store.keyPrefix}:socket.io` }),
      close: async () => {
        await Promise.all([closeRedis(publisher), closeRedis(subscriber)]);
      },
    };
  }
  const database = config.database;
  if (database.kind === 'embedded') {
    return { kind: 'in-memory', adapter: undefined, close: () => Promise.resolve() };
  }
  const pool = new Pool({
    connectionString: database.url,
    // The attachments table (messages over NOTIFY's 8000 bytes) lives in the app's schema.
    options: `-c search_path=${database.schema}`,
    application_name: SOCKET_IO_APPLICATION_NAME,
    max: SOCKET_IO_POOL_SIZE,
    ...postgresTimeouts(config.databaseTimeouts),
  });
  // A dropped connection must not crash the process (pg emits 'error' with no listener otherwise):
  // the adapter sees the connection end and reconnects; sockets miss what was sent meanwhile.
  const warn = (error: Error) => logger.warn(`socket.io fan-out: ${error.message}`);
  pool.on('error', warn);
  pool.on('connect', (client) => client.on('error', warn));
  const listenerPool = new ListenerPool(pool);
  return {
    kind: 'postgres',
    // The adapter's typings name pg's Pool; it calls only connect() and query().
    adapter: createPostgresAdapter(listenerPool as unknown as Pool, {
      // Instances of one app share a channel; apps in other schemas of the database do not.
      channelPrefix: `socket.io:${database.schema}`,
      errorHandler: warn,
    }),
    close: () => listenerPool.end(),
  };
}
