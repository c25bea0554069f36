import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import {
  createSessionSchema,
  explainQuery,
  HOT_QUERIES,
  planIsIndexed,
  seedSessions,
} from '../../scripts/explain/session-query-plans';
import { describeWithPostgres, postgresUrl } from '../support/requires-postgres';

const ROWS = 50_000;

/*
 * The store's hot statements use their indexes on a table big enough for the planner to care
 * (~50,000 sessions, after ANALYZE) — a sequential scan here would make validation O(table) at
 * scale. docs/EXPLAIN.md shows the same plans on 1,000,000 rows (npm run explain).
 */
describeWithPostgres('session store queries use their indexes', () => {
  const schema = `e2e_idx_w${process.env.JEST_WORKER_ID ?? '0'}_${randomBytes(4).toString('hex')}`;
  const now = new Date();
  let client: Client;

  beforeAll(async () => {
    await createSessionSchema(postgresUrl(), schema);
    client = new Client({ connectionString: postgresUrl(), options: `-c search_path=${schema}` });
    await client.connect();
    await seedSessions(client, ROWS, now);
  }, 120_000);

  afterAll(async () => {
    await client?.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await client?.end();
  });

  it.each(HOT_QUERIES.map((query) => [query.name, query] as const))('%s', async (_name, query) => {
    const [plan] = await explainQuery(client, query, { now, rows: ROWS }, 'FORMAT JSON');
    // The expected index, and no full scan of a session table anywhere in the plan.
    expect(planIsIndexed(query, plan)).toBe(true);
  });
});
