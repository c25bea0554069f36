import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import type { DatabaseConfig } from '../../apps/sample-app/src/config/app-config';
import { createPgliteDriver, type PgliteDriver } from '@app/pglite';

/** A database for one test file: its own schema on PostgreSQL, or its own embedded instance. */
export interface TestDatabase {
  readonly config: DatabaseConfig;
  readonly schema: string;
  /** The in-memory embedded database shared by the file's apps (unset on PostgreSQL). */
  readonly embedded?: PgliteDriver;
  /** Drops everything the test file created. */
  drop(): Promise<void>;
}

/**
 * Creates an isolated database for the calling test file. On PostgreSQL (DATABASE_URL) that is a
 * fresh schema named after the Jest worker plus a random suffix, so parallel workers and reruns never
 * share rows; it is dropped with CASCADE afterwards. Without DATABASE_URL it is one in-memory embedded
 * database (isolated by construction), shared by the file's apps because each costs seconds to boot.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const url = process.env.DATABASE_URL?.trim();
  if (!url) {
    const embedded = createPgliteDriver(undefined);
    return {
      config: { kind: 'embedded', dataDir: undefined, schema: 'public' },
      schema: 'public',
      embedded,
      drop: () => embedded.close(),
    };
  }
  const schema = `e2e_w${process.env.JEST_WORKER_ID ?? '0'}_${randomBytes(4).toString('hex')}`;
  await withClient(url, (client) => client.query(`CREATE SCHEMA "${schema}"`));
  return {
    config: { kind: 'postgres', url, schema },
    schema,
    drop: () => withClient(url, (client) => client.query(`DROP SCHEMA "${schema}" CASCADE`)),
  };
}

async function withClient(url: string, work: (client: Client) => Promise<unknown>): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await work(client);
  } finally {
    await client.end();
  }
}
