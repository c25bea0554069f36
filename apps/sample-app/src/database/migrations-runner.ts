import { setTimeout as sleep } from 'node:timers/promises';
import { type DataSource, type Migration, MigrationExecutor, type QueryRunner } from 'typeorm';

/** How often a replica that finds the lock taken asks again. */
const LOCK_POLL_MS = 200;

/**
 * Runs the pending migrations, one process at a time per schema. TypeORM takes no lock of its own:
 * replicas starting together would each see the same migrations pending and run them twice (a
 * `CREATE TABLE` failing on the second, and that replica refusing to boot). The lock is a PostgreSQL
 * session-level advisory lock keyed by the schema, so apps on separate schemas of one database never
 * wait for each other; whoever gets it second finds nothing pending.
 *
 * Lock and migrations share one connection: if it dies, the lock and the migration's transaction
 * end together, so no other replica can start while a half-done migration still holds its locks.
 * (The same single connection is also what the embedded database has.) The lock is polled with
 * `pg_try_advisory_lock` rather than waited for with `pg_advisory_lock`, whose wait
 * `statement_timeout` would cut short while another replica runs a long migration.
 */
export async function runMigrationsExclusively(dataSource: DataSource): Promise<Migration[]> {
  const key = `nest-session migrations ${String(dataSource.driver.schema ?? 'public')}`;
  const connection = dataSource.createQueryRunner();
  await connection.connect();
  try {
    while (!(await tryLock(connection, key))) await sleep(LOCK_POLL_MS);
    try {
      const executor = new MigrationExecutor(dataSource, connection);
      executor.transaction = 'all';
      return await executor.executePendingMigrations();
    } finally {
      await connection.query('SELECT pg_advisory_unlock(hashtext($1))', [key]);
    }
  } finally {
    await connection.release();
  }
}

async function tryLock(connection: QueryRunner, key: string): Promise<boolean> {
  const [row] = (await connection.query('SELECT pg_try_advisory_lock(hashtext($1)) AS locked', [
    key,
  ])) as Array<{ locked: boolean }>;
  return row.locked;
}
