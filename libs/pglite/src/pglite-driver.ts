import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { PGlite, type PGliteOptions } from '@electric-sql/pglite';
import { defaults, TypeOverrides } from 'pg';
import { PglitePool, PgliteSession, type PglitePoolConfig } from './pglite-pool';

/*
 * Loading: PGlite ships a CommonJS build (its `require` export condition) that finds its wasm and
 * data files next to itself, so the compiled CJS app and Jest both load it with a plain import;
 * no dynamic import() or wasm path is needed.
 *
 * Why not `typeorm-pglite`: it lets every TypeORM "connection" share PGlite's single session at
 * once, so concurrent transactions interleave. Measured with 0.3.4: an advisory-lock counter lost
 * updates (1 instead of 5), one transaction's ROLLBACK discarded another's committed write, and a
 * failing extension query at startup became an unhandled rejection that killed the process.
 * Here a connection owns the session exclusively from connect() to release() instead.
 */

export interface PgliteDriverOptions {
  /**
   * How long a connection waits for the single session, in ms; 0 waits forever. A DataSource's
   * `connectTimeoutMS` overrides it for that DataSource's pool. Also bounds how long `close()`
   * waits for the current holder.
   * @default 5000
   */
  acquireTimeoutMillis?: number;
  /** Passed to `new PGlite()` (e.g. `relaxedDurability`, `extensions`); `dataDir` is separate. */
  pglite?: Omit<PGliteOptions, 'dataDir'>;
}

/** The part of the `pg` module that TypeORM's PostgresDriver uses from its `driver` option. */
export interface PglitePgModule {
  /** Every pool built from this class shares the driver's one PGlite session. */
  readonly Pool: new (config?: PglitePoolConfig) => PglitePool;
  /** pg's own defaults: TypeORM's `parseInt8` option sets `defaults.parseInt8`, as with pg. */
  readonly defaults: typeof defaults;
  /** Type parsers for this driver only; unset types fall back to pg's global ones. */
  readonly types: TypeOverrides;
}

export interface PgliteDriver {
  /** Pass as TypeORM's `driver` option (with `type: 'postgres'`). */
  readonly driver: PglitePgModule;
  /** Waits for the current holder, then closes PGlite. Call after `dataSource.destroy()`. */
  close(): Promise<void>;
}

/**
 * Runs TypeORM's postgres driver on an embedded PGlite, without a PostgreSQL server. PGlite boots
 * lazily on the first connection (≈2 s, ≈700 MB for in-memory), so creating the driver is cheap
 * and synchronous, as a TypeORM CLI data-source file needs.
 *
 * @param dataDir folder of the database files; `undefined` keeps everything in memory.
 * @example
 * const pglite = createPgliteDriver('.data/pglite');
 * const dataSource = new DataSource({ type: 'postgres', driver: pglite.driver, entities });
 * // on shutdown: await dataSource.destroy(); await pglite.close();
 */
/**
 * PostgreSQL's 128 MB of shared buffers are sized for a server; an app's embedded development
 * database holds a few thousand rows. Measured on a restart of the sample app (data folder present):
 * resident memory after start ~300 MB with the default, ~175 MB with 16 MB (README, "Embedded database").
 */
const EMBEDDED_POSTGRESQL_CONF = ['shared_buffers=16MB'];

export function createPgliteDriver(
  dataDir: string | undefined,
  options: PgliteDriverOptions = {},
): PgliteDriver {
  // URL-style dirs (memory://, idb://) are not paths; a path is fixed now, whatever the cwd later.
  const dir = dataDir === undefined || dataDir.includes('://') ? dataDir : resolve(dataDir);
  const openDb = (): PGlite => {
    // PGlite creates the data folder but not its parents.
    if (dir !== undefined && !dir.includes('://')) mkdirSync(dirname(dir), { recursive: true });
    // The options-object form: `new PGlite(undefined, options)` would drop the options.
    return new PGlite({
      postgresqlconf: EMBEDDED_POSTGRESQL_CONF,
      ...options.pglite,
      dataDir: dir,
    });
  };
  const types = new TypeOverrides();
  const session = new PgliteSession(openDb, types, options.acquireTimeoutMillis ?? 5000);

  class Pool extends PglitePool {
    constructor(config?: PglitePoolConfig) {
      super(session, config);
    }
  }

  return { driver: { Pool, defaults, types }, close: () => session.close() };
}
