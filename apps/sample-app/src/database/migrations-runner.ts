import { setTimeout as sleep } from 'node:timers/promises';
import type { DataSource, Migration } from 'typeorm';

/** How often a replica that finds the lock taken asks again. */
const LOCK_POLL_MS = 200;

/**
 * Runs the pending migrations, one process at a time per schema. TypeORM takes no lock of its own:
 * replicas starting together would each see the same migrations pending and run them twice (a
 * `CREATE TABLE` failing on the second, and that replica refusing to boot). The lock is a PostgreSQL
 * session-level advisory lock on a connection of its own, keyed by the schema, so apps on separate
 * schemas of one database never wait for each other; whoever gets it second finds nothing pending.
 * It is polled with `pg_try_advisory_lock` rather than waited for with `pg_advisory_lock`, whose
 * wait `statement_timeout` would cut short while another replica runs a long migration.
 *
 * The embedded database belongs to one process and has one connection, which the lock would hold
 * while the migrations wait for it: there the migrations simply run.
 */
export async function runMigrationsExclusively(
  dataSource: DataSource,
  options: { embedded: boolean },
): Promise<Migration[]> {
  if (options.embedded) return dataSource.runMigrations({ transaction: 'all' });
  const key = `nest-session migrations ${String(dataSource.driver.schema ?? 'public')}`;
  const lock = dataSource.createQueryRunner();
  await lock.connect();
  try {
    while (!(await tryLock(lock.query.bind(lock), key))) await sleep(LOCK_POLL_MS);
    try {
      return await dataSource.runMigrations({ transaction: 'all' });
    } finally {
      await lock.query('SELECT pg_advisory_unlock(hashtext($1))', [key]);
    }
  } finally {
    // Released after the unlock; a connection that died meanwhile took its lock with it.
    await lock.release();
  }
}

async function tryLock(
  query: (sql: string, parameters: unknown[]) => Promise<Array<{ locked: boolean }>>,
  key: string,
): Promise<boolean> {
  const [row] = await query('SELECT pg_try_advisory_lock(hashtext($1)) AS locked', [key]);
  return row.locked;
}
