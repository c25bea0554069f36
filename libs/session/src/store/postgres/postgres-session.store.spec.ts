import { describeSessionStore } from '../../testing/session-store.conformance';
import { openTestDataSource } from '../../../testing/postgres-test-schema';
import { PostgresSessionStore } from './postgres-session.store';

const url = process.env.DATABASE_URL;

if (url) {
  describeSessionStore('PostgresSessionStore (PostgreSQL)', async () => {
    const db = await openTestDataSource(url);
    return { store: new PostgresSessionStore(db.dataSource), close: db.close };
  });

  it('the entities describe exactly the schema the migration creates', async () => {
    const db = await openTestDataSource(url);
    try {
      const pending = await db.dataSource.driver.createSchemaBuilder().log();
      expect(pending.upQueries.map((q) => q.query)).toEqual([]);
    } finally {
      await db.close();
    }
  });
} else {
  it.todo('PostgresSessionStore on PostgreSQL: skipped because DATABASE_URL is not set');
}
