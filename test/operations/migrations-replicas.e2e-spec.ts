import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { loadAppConfig } from '../../apps/sample-app/src/config/app-config';
import {
  APP_MIGRATIONS,
  openDatabaseConnection,
} from '../../apps/sample-app/src/config/database.config';
import { runMigrationsExclusively } from '../../apps/sample-app/src/database/migrations-runner';
import { sessionMigrations } from '@app/session/typeorm';
import { AppProcess } from '../support/app-process';
import { ensureBuiltSampleApp } from '../support/built-app';
import { describeWithPostgres, postgresUrl } from '../support/requires-postgres';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

const MIGRATION_COUNT = sessionMigrations.length + APP_MIGRATIONS.length;

interface CommandResult {
  code: number;
  output: string;
}

/** `npm run migrate` as a deploy step runs it: the built command, configured by its environment. */
async function runMigrateCommand(schema: string): Promise<CommandResult> {
  const migrate = join(dirname(await ensureBuiltSampleApp()), 'migrate.js');
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [migrate], {
      env: { PATH: process.env.PATH ?? '', DATABASE_URL: postgresUrl(), DATABASE_SCHEMA: schema },
      timeout: 60_000,
    });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, output: (failed.stdout ?? '') + (failed.stderr ?? '') };
  }
}

async function appliedMigrations(schema: string): Promise<string[]> {
  const client = new Client({ connectionString: postgresUrl() });
  await client.connect();
  try {
    const { rows } = await client.query<{ name: string }>(
      `SELECT name FROM "${schema}".migrations ORDER BY id`,
    );
    return rows.map((row) => row.name);
  } finally {
    await client.end();
  }
}

describeWithPostgres('migrations when replicas start together', () => {
  let database: TestDatabase;

  beforeEach(async () => {
    database = await createTestDatabase();
  });

  afterEach(async () => {
    await database.drop();
  });

  it('four replicas whose connections are already open, migrating at the same instant, apply each migration once', async () => {
    // Started together with their DataSources initialized, so they really overlap (TypeORM alone
    // fails here: "duplicate key value violates unique constraint" on the second CREATE TABLE).
    const { databaseTimeouts } = loadAppConfig({});
    const replicas = await Promise.all(
      [1, 2, 3, 4].map(() =>
        new DataSource(
          openDatabaseConnection(database.config, databaseTimeouts).options,
        ).initialize(),
      ),
    );
    try {
      const runs = await Promise.all(replicas.map((replica) => runMigrationsExclusively(replica)));
      expect(runs.map((applied) => applied.length).sort()).toEqual([0, 0, 0, MIGRATION_COUNT]);
      expect(await appliedMigrations(database.schema)).toHaveLength(MIGRATION_COUNT);
    } finally {
      await Promise.all(replicas.map((replica) => replica.destroy()));
    }
  });

  it('three `migrate` commands racing on an empty schema all succeed and apply each migration once', async () => {
    const results = await Promise.all([1, 2, 3].map(() => runMigrateCommand(database.schema)));

    for (const result of results) expect(result).toEqual(expect.objectContaining({ code: 0 }));
    const applied = await appliedMigrations(database.schema);
    expect(applied).toHaveLength(MIGRATION_COUNT);
    expect(new Set(applied).size).toBe(MIGRATION_COUNT);
    // One of them did the work; the others found the schema current once they held the lock.
    const outputs = results.map((result) => result.output).join('\n');
    expect(outputs.match(/Applied \d+ migration\(s\)/g)).toHaveLength(1);
    expect(outputs.match(/The schema is current/g)).toHaveLength(2);
  }, 120_000);

  it('two replicas starting together on an empty schema both become healthy', async () => {
    const env = { DATABASE_URL: postgresUrl(), DATABASE_SCHEMA: database.schema };
    const replicas = await Promise.all([AppProcess.start(env, 'A'), AppProcess.start(env, 'B')]);
    try {
      expect(await appliedMigrations(database.schema)).toHaveLength(MIGRATION_COUNT);
    } finally {
      await Promise.all(replicas.map((replica) => replica.stop()));
    }
  }, 120_000);

  it('with RUN_MIGRATIONS=false the app refuses to start while a migration is pending, and starts after `migrate`', async () => {
    const env = {
      DATABASE_URL: postgresUrl(),
      DATABASE_SCHEMA: database.schema,
      RUN_MIGRATIONS: 'false',
    };
    const refused = await AppProcess.start(env, 'unmigrated').then(
      async (app) => {
        await app.stop();
        return undefined;
      },
      (error: Error) => error,
    );
    expect(refused?.message).toContain('run "npm run migrate" first');

    expect(await runMigrateCommand(database.schema)).toEqual(expect.objectContaining({ code: 0 }));
    const app = await AppProcess.start(env, 'migrated');
    try {
      expect((await app.http().get('/health')).status).toBe(200);
    } finally {
      await app.stop();
    }
  }, 120_000);
});
