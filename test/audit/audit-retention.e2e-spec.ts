import { randomUUID } from 'node:crypto';
import { AuditRetention } from '../../apps/sample-app/src/audit/audit-retention';
import { startTestApp, type TestApp } from '../support/test-app';

const DAY_MS = 86_400_000;

/** AUDIT_RETENTION_DAYS [90]: the audit table does not grow forever. */
describe('audit retention', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(async () => app?.close());

  it('deletes events older than the retention window, in batches, and keeps the rest', async () => {
    const userId = randomUUID();
    const now = new Date();
    const insert = (count: number, ageDays: number) =>
      app.dataSource.query(
        `INSERT INTO audit_events (type, user_id, at)
         SELECT 'session.created', $1, $2 FROM generate_series(1, $3)`,
        [userId, new Date(now.getTime() - ageDays * DAY_MS), count],
      );
    await insert(2500, 120); // older than the default 90 days: more than two batches
    await insert(7, 10);
    const removed = await app.app.get(AuditRetention).purge(now);
    expect(removed).toBe(2500);
    const [{ count }] = await app.dataSource.query<[{ count: number }]>(
      `SELECT count(*)::int AS count FROM audit_events WHERE user_id = $1`,
      [userId],
    );
    expect(count).toBe(7);
  });
});
