import { EventEmitter } from 'node:events';
import type { PGlite } from '@electric-sql/pglite';
import { createPgConfig } from '@electric-sql/pglite/node-postgres';
import { Client, type CustomTypesConfig, type QueryConfig, type QueryResult } from 'pg';

/** Row type of query results; pg's own default, spelled without `any`. */
export type PgliteRow = Record<string, unknown>;
/** node-style callback for `query(..., callback)`, as pg calls it. */
export type PgliteQueryCallback = (err: Error | null, result?: QueryResult<PgliteRow>) => void;
/** node-style callback for `pool.connect(callback)`, as pg-pool calls it. */
export type PgliteConnectCallback = (
  err: Error | undefined,
  client: PglitePoolClient | undefined,
  release: (err?: Error | boolean) => void,
) => void;

/** The part of pg-pool's config this pool honours; TypeORM passes more, which is ignored. */
export interface PglitePoolConfig {
  /** How long `connect()` waits for the session, in ms; 0 waits forever. @default the driver's `acquireTimeoutMillis` */
  connectionTimeoutMillis?: number;
}

/** `connect()` gave up waiting for the single PGlite session. */
export class PgliteAcquireTimeoutError extends Error {
  readonly code = 'PGLITE_ACQUIRE_TIMEOUT';
  constructor(readonly timeoutMillis: number) {
    super(
      `PGlite: no connection within ${timeoutMillis} ms. PGlite has ONE session, so a connection is ` +
        'held exclusively until release(); if this happened inside a transaction, a second ' +
        'connection was used there (e.g. a repository or DataSource call instead of the ' +
        "transaction's EntityManager) and would otherwise wait forever.",
    );
    this.name = 'PgliteAcquireTimeoutError';
  }
}

interface Waiter {
  grant(): void;
  fail(err: Error): void;
}

/**
 * PGlite's one PostgreSQL session, lent out exclusively in FIFO order. Every pool built over it
 * shares this lock, because they all share that one session. Queries go through a real pg
 * `Client` on PGlite's own wire-protocol adapter, so results, type parsing (int8 as string, dates,
 * bytea, json), errors (`code`, `constraint`, ...) and multi-statement simple queries are pg's.
 */
export class PgliteSession extends EventEmitter {
  private client?: Promise<Client>;
  private held = false;
  private readonly waiters: Waiter[] = [];
  private closing?: Promise<void>;
  private db?: PGlite;

  constructor(
    private readonly openDb: () => PGlite,
    private readonly types: CustomTypesConfig,
    readonly defaultTimeoutMillis: number,
  ) {
    super();
  }

  /** Waits (FIFO, at most `timeoutMillis`) for exclusive use of the session. */
  async acquire(timeoutMillis: number): Promise<Client> {
    if (this.closing) throw new Error('PGlite driver was closed');
    // Booting PGlite takes seconds; connect before queueing so only waiting on a holder counts.
    const client = await this.connect();
    if (this.closing) throw new Error('PGlite driver was closed');
    await this.lock(timeoutMillis);
    return client;
  }

  /** Ends the holder's use; rolls back a transaction it left open, then hands over the session. */
  async release(client: Client): Promise<void> {
    try {
      // On a server, releasing a broken connection ends its transaction with it; here every
      // "connection" is the same session, so an open transaction would swallow the next holder's
      // writes. Roll it back before anyone else gets the session.
      const status = client.getTransactionStatus();
      if (status === 'T' || status === 'E') await client.query('ROLLBACK');
    } catch (err) {
      this.fail(err as Error);
    } finally {
      this.unlock();
    }
  }

  /** Waits for the current holder (bounded), fails later waiters, then closes pg and PGlite. */
  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    await this.lock(this.defaultTimeoutMillis).catch(() => undefined);
    for (const waiter of this.waiters.splice(0)) waiter.fail(new Error('PGlite driver was closed'));
    const client = this.client;
    this.client = undefined;
    if (client) await client.then((c) => c.end()).catch(() => undefined);
    if (this.db && !this.db.closed) await this.db.close();
  }

  private connect(): Promise<Client> {
    this.client ??= (async () => {
      this.db ??= this.openDb();
      const config = Object.assign(createPgConfig(this.db), { types: this.types });
      const client = new Client(config);
      // Without a listener a dead PGlite would crash the process with an 'error' event.
      client.on('error', (err) => this.fail(err));
      await client.connect();
      return client;
    })();
    // A failed boot is reported to whoever awaits it; retry on the next acquire.
    this.client.catch(() => (this.client = undefined));
    return this.client;
  }

  private fail(err: Error): void {
    this.client = undefined;
    if (this.listenerCount('error') > 0) this.emit('error', err);
  }

  private lock(timeoutMillis: number): Promise<void> {
    if (!this.held && this.waiters.length === 0) {
      this.held = true;
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const timer =
        timeoutMillis > 0
          ? setTimeout(() => {
              this.waiters.splice(this.waiters.indexOf(waiter), 1);
              reject(new PgliteAcquireTimeoutError(timeoutMillis));
            }, timeoutMillis)
          : undefined;
      const waiter: Waiter = {
        grant: () => {
          clearTimeout(timer);
          resolve();
        },
        fail: (err) => {
          clearTimeout(timer);
          reject(err);
        },
      };
      this.waiters.push(waiter);
    });
  }

  private unlock(): void {
    const next = this.waiters.shift();
    if (next) next.grant();
    else this.held = false;
  }
}

/** A checked-out "connection": valid from `pool.connect()` until `release()`. */
export class PglitePoolClient extends EventEmitter {
  private released = false;

  constructor(
    private readonly client: Client,
    private readonly session: PgliteSession,
  ) {
    super();
  }

  query(text: string | QueryConfig, values?: unknown[]): Promise<QueryResult<PgliteRow>>;
  query(text: string | QueryConfig, callback: PgliteQueryCallback): void;
  query(text: string | QueryConfig, values: unknown[], callback: PgliteQueryCallback): void;
  query(
    text: string | QueryConfig,
    values?: unknown[] | PgliteQueryCallback,
    callback?: PgliteQueryCallback,
  ): Promise<QueryResult<PgliteRow>> | void {
    const [params, cb] = typeof values === 'function' ? [undefined, values] : [values, callback];
    // A released client must not reach the session: it now belongs to another connection.
    const result = this.released
      ? Promise.reject(new Error('PGlite: query on a client that was already released'))
      : this.client.query<PgliteRow>(text, params);
    return settle(result, cb);
  }

  /** Returns the session to the pool. `err` is accepted for pg compatibility; the session stays. */
  release(_err?: Error | boolean): void {
    // Same message as pg-pool: releasing twice would hand the session out twice.
    if (this.released)
      throw new Error('Release called on client which has already been released to the pool.');
    this.released = true;
    void this.session.release(this.client);
  }
}

/** node-postgres-compatible pool; TypeORM constructs it through the driver module's `Pool`. */
export class PglitePool extends EventEmitter {
  private readonly timeoutMillis: number;
  private ended = false;
  private readonly forwardError = (err: Error): void => {
    if (this.listenerCount('error') > 0) this.emit('error', err);
  };

  constructor(
    private readonly session: PgliteSession,
    config: PglitePoolConfig = {},
  ) {
    super();
    this.timeoutMillis = config.connectionTimeoutMillis ?? session.defaultTimeoutMillis;
    session.on('error', this.forwardError);
  }

  connect(): Promise<PglitePoolClient>;
  connect(callback: PgliteConnectCallback): void;
  connect(callback?: PgliteConnectCallback): Promise<PglitePoolClient> | void {
    const client = this.ended
      ? Promise.reject(new Error('Cannot use a pool after calling end on the pool'))
      : this.session.acquire(this.timeoutMillis).then((c) => new PglitePoolClient(c, this.session));
    if (!callback) return client;
    client.then(
      (c) => process.nextTick(callback, undefined, c, (err?: Error | boolean) => c.release(err)),
      (err: Error) => process.nextTick(callback, err, undefined, () => undefined),
    );
  }

  /** One query with exclusive use of the session, like pg's `pool.query`. */
  query(text: string | QueryConfig, values?: unknown[]): Promise<QueryResult<PgliteRow>>;
  query(text: string | QueryConfig, callback: PgliteQueryCallback): void;
  query(text: string | QueryConfig, values: unknown[], callback: PgliteQueryCallback): void;
  query(
    text: string | QueryConfig,
    values?: unknown[] | PgliteQueryCallback,
    callback?: PgliteQueryCallback,
  ): Promise<QueryResult<PgliteRow>> | void {
    const [params, cb] = typeof values === 'function' ? [undefined, values] : [values, callback];
    const result = this.connect().then(async (client) => {
      try {
        return await client.query(text, params);
      } finally {
        client.release();
      }
    });
    return settle(result, cb);
  }

  /** Stops this pool; the PGlite instance stays open until the driver's `close()`. */
  end(callback?: (err?: Error) => void): Promise<void> | void {
    this.ended = true;
    this.session.off('error', this.forwardError);
    if (!callback) return Promise.resolve();
    process.nextTick(callback);
  }
}

/** Returns the promise, or reports it to a node-style callback outside the promise chain. */
function settle<T>(
  result: Promise<T>,
  callback?: (err: Error | null, value?: T) => void,
): Promise<T> | void {
  if (!callback) return result;
  // nextTick: a throwing callback must surface as the caller's exception, as with pg, not as an
  // unhandled rejection of a promise nobody holds.
  result.then(
    (value) => process.nextTick(callback, null, value),
    (err: Error) => process.nextTick(callback, err),
  );
}
