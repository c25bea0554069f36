import { sessionEntities, sessionMigrations } from '@app/session/typeorm';
import type { DataSourceOptions } from 'typeorm';
import { AuditEventEntity } from '../audit/audit-event.entity';
import { createPgliteDriver, type PgliteDriver } from '@app/pglite';
import { CreateUsers1764150000000 } from '../database/migrations/1764150000000-create-users';
import { CreateAuditEvents1764150000001 } from '../database/migrations/1764150000001-create-audit-events';
import { IndexAuditEventsAt1764150000002 } from '../database/migrations/1764150000002-index-audit-events-at';
import { CreateRateLimits1764150000003 } from '../database/migrations/1764150000003-create-rate-limits';
import { CreateSocketIoAttachments1764150000004 } from '../database/migrations/1764150000004-create-socket-io-attachments';
import { RateLimitEntity } from '../throttle/rate-limit.entity';
import { UserEntity } from '../users/user.entity';
import type { DatabaseConfig, DatabaseTimeouts } from './app-config';

export const APP_ENTITIES = [UserEntity, AuditEventEntity, RateLimitEntity];
export const APP_MIGRATIONS = [
  CreateUsers1764150000000,
  CreateAuditEvents1764150000001,
  IndexAuditEventsAt1764150000002,
  CreateRateLimits1764150000003,
  CreateSocketIoAttachments1764150000004,
];

export type PostgresOptions = Extract<DataSourceOptions, { type: 'postgres' }>;

/** TypeORM options plus whatever the connection owns beyond the DataSource. */
export interface DatabaseConnection {
  readonly options: PostgresOptions;
  /** Releases the embedded database, if this connection opened it. Call after DataSource.destroy(). */
  close(): Promise<void>;
}

/**
 * TypeORM options for the app, shared by the app module, `npm run migrate` and the TypeORM CLI
 * (database/data-source.ts). The migrations create every table; they are run by
 * `runMigrationsExclusively`, never by TypeORM's `migrationsRun`, which takes no lock. synchronize
 * stays off so the schema is only ever changed by reviewed migrations.
 *
 * @param timeouts bounds for PostgreSQL (see `postgresTimeouts`); the embedded database keeps its
 *   own acquire timeout.
 * @param shared an embedded database opened by the caller (tests share one between apps); the caller
 *   then closes it. Ignored for PostgreSQL.
 */
export function openDatabaseConnection(
  database: DatabaseConfig,
  timeouts: DatabaseTimeouts,
  shared?: PgliteDriver,
): DatabaseConnection {
  const searchPath = { options: `-c search_path=${database.schema}` };
  const options: PostgresOptions = {
    type: 'postgres',
    schema: database.schema,
    entities: [...APP_ENTITIES, ...sessionEntities],
    migrations: [...sessionMigrations, ...APP_MIGRATIONS],
    migrationsRun: false,
    synchronize: false,
    // gen_random_uuid() is core (PostgreSQL 13+, PGlite); uuid-ossp does not exist in PGlite.
    uuidExtension: 'pgcrypto',
    installExtensions: false,
    // The session store issues unqualified SQL, so the schema is chosen by the search_path.
    extra: searchPath,
  };
  if (database.kind === 'postgres') {
    return {
      options: {
        ...options,
        url: database.url,
        extra: { ...searchPath, ...postgresTimeouts(timeouts) },
      },
      close: () => Promise.resolve(),
    };
  }
  // Embedded: PGlite in this process through a node-postgres-compatible driver. It boots lazily on
  // the first connection, so creating it here costs nothing.
  const embedded = shared ?? createPgliteDriver(database.dataDir);
  return {
    options: { ...options, driver: embedded.driver },
    close: shared ? () => Promise.resolve() : () => embedded.close(),
  };
}

/**
 * node-postgres pool options that bound every round trip. Without them a database that stops
 * answering (a network partition, a full disk, a lock held forever) makes requests wait for the
 * OS's TCP timeout — minutes — while they pile up on the pool; with them, the session guard answers
 * 503 within about `connectMs + statementMs` and the pool drops the broken connections.
 * statement_timeout also bounds the migrations run at boot: raise DATABASE_STATEMENT_TIMEOUT_MS
 * for a deploy whose migration rewrites a big table.
 */
export function postgresTimeouts(timeouts: DatabaseTimeouts): Record<string, number> {
  return {
    // Waiting for a free pooled connection, and for a new connection's TCP + auth handshake.
    connectionTimeoutMillis: timeouts.connectMs,
    // Server side: PostgreSQL cancels the statement and the connection stays usable.
    statement_timeout: timeouts.statementMs,
    // Client side, for when the server never sees or never answers (a hung network): a little
    // later than statement_timeout, so a slow statement is cancelled cleanly by the server first.
    // pg-pool then destroys the client instead of returning it to the pool.
    query_timeout: timeouts.statementMs + 500,
  };
}
