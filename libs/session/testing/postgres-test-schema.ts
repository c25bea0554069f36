import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { sessionEntities, sessionMigrations } from '../src/store/postgres/session-typeorm.lists';

export interface TestDataSource {
  dataSource: DataSource;
  schema: string;
  close(): Promise<void>;
}

/**
 * A DataSource on a schema of its own (dropped on close), with the session migrations run — so
 * test files and Jest workers never see each other's rows. Uses DATABASE_URL.
 */
export async function openTestDataSource(url: string): Promise<TestDataSource> {
  const schema = `test_${process.env.JEST_WORKER_ID ?? '0'}_${randomBytes(4).toString('hex')}`;
  const admin = new DataSource({ type: 'postgres', url });
  await admin.initialize();
  await admin.query(`CREATE SCHEMA "${schema}"`);
  await admin.destroy();

  const dataSource = new DataSource({
    type: 'postgres',
    url,
    schema,
    entities: sessionEntities,
    migrations: sessionMigrations,
    migrationsRun: true,
    uuidExtension: 'pgcrypto',
    installExtensions: false,
    extra: { options: `-c search_path=${schema}`, max: 20 },
  });
  await dataSource.initialize();
  return {
    dataSource,
    schema,
    close: async () => {
      await dataSource.query(`DROP SCHEMA "${schema}" CASCADE`);
      await dataSource.destroy();
    },
  };
}
