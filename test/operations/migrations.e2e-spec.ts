import { startTestApp, type TestApp } from '../support/test-app';

describe('database schema', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp();
  });

  afterAll(async () => {
    await app.close();
  });

  it('is created by the migrations at start, without synchronize', async () => {
    expect(app.dataSource.options.synchronize).toBe(false);
    const applied = await app.dataSource.query<Array<{ name: string }>>(
      'SELECT name FROM migrations ORDER BY id',
    );
    expect(applied.map((m) => m.name)).toEqual(
      expect.arrayContaining(['CreateUsers1764150000000', 'CreateAuditEvents1764150000001']),
    );
    expect(await app.dataSource.showMigrations()).toBe(false);
  });

  it('matches the entities exactly: synchronize would change nothing', async () => {
    const pending = await app.dataSource.driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((query) => query.query)).toEqual([]);
  });

  it('lives in the configured schema only', async () => {
    const tables = await app.dataSource.query<Array<{ table_name: string }>>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY 1`,
      [app.database.schema],
    );
    expect(tables.map((t) => t.table_name)).toEqual(
      expect.arrayContaining(['audit_events', 'migrations', 'sessions', 'users']),
    );
  });

  it('indexes audit events by (user_id, at desc)', async () => {
    const [index] = await app.dataSource.query<Array<{ indexdef: string }>>(
      `SELECT indexdef FROM pg_indexes WHERE schemaname = $1 AND indexname = 'IDX_audit_events_user_at'`,
      [app.database.schema],
    );
    expect(index.indexdef).toMatch(/\(user_id, at DESC\)/);
  });
});
