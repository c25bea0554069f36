/**
 * PGlite as a node-postgres pool with one connection, for TypeORM's own postgres driver: the
 * sample app's embedded database and the library's PGlite specs use it. An internal workspace
 * library, not published.
 *
 * Why hand-written: no maintained adapter keeps PGlite's guarantee that one connection holds its
 * single session from connect() to release(). `typeorm-pglite` interleaves concurrent transactions
 * (measured: lost advisory-lock updates, a ROLLBACK discarding another transaction's write), and
 * `@electric-sql/pglite-socket` 0.2.17 (the latest, which would let the stock `pg` driver connect
 * over a socket) pins `@electric-sql/pglite` to exactly 0.5.14, below the 0.5.16 used here, and
 * declares seven extension packages as peers; `pglite-pool.spec.ts` holds the tests any
 * replacement must pass (advisory-lock counter, rollback isolation, acquire timeout).
 */
export * from './pglite-driver';
export * from './pglite-pool';
