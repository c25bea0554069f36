import { randomUUID } from 'node:crypto';
import { BENCH_USER_AGENT, SESSION_COOKIE } from '../shared/bench-targets';
import { type BenchDatabase, type KnownSession, SEED_CONNECTIONS } from './bench-database';
import { newToken, seedSessions } from './session-seed';

/** Filler users; sessions are spread over them as over the lean targets' 20,000 user ids. */
const USERS = 20_000;
/** Nobody logs in during the benchmark: a value no argon2 verification accepts. */
const NO_PASSWORD = '!bench: no login';

/** The known user, whose session every `GET /me` of the load presents. */
const KNOWN_EMAIL = 'bench@bench.invalid';

/**
 * Fills a schema the sample app has migrated: 20,000 users, `count` sessions spread over them,
 * and one known session of a known user, which `GET /me` answers for. Only the tables are relied
 * on (the app's `users`, the library's `sessions`), never either's code. User ids are uuids
 * derived from their number, so a session can name its user without a join. Each session holds
 * what the app's login keeps in one (`users/session-user.ts`: the user's email).
 */
export async function seedSampleApp(
  db: BenchDatabase,
  schema: string,
  count: number,
  clientIp: string,
): Promise<KnownSession> {
  const token = newToken();
  const userId = randomUUID();
  await db.withSeedPool(schema, async (pool) => {
    await pool.query(
      `INSERT INTO users (id, email, password_hash)
       SELECT md5('bench-user-' || n)::uuid, 'bench-user-' || n || '@bench.invalid', $2
         FROM generate_series(0, $1::int - 1) AS n`,
      [USERS, NO_PASSWORD],
    );
    await pool.query(`INSERT INTO users (id, email, password_hash) VALUES ($1, $2, $3)`, [
      userId,
      KNOWN_EMAIL,
      NO_PASSWORD,
    ]);
    await pool.query('VACUUM (ANALYZE) users');
    await seedSessions(
      pool,
      {
        count,
        fillerUserId: `md5('bench-user-' || (g % ${USERS}))::uuid::text`,
        fillerData: `jsonb_build_object('email', 'bench-user-' || (g % ${USERS}) || '@bench.invalid')`,
        known: { token, userId, data: { email: KNOWN_EMAIL } },
        ip: clientIp,
        userAgent: BENCH_USER_AGENT,
      },
      SEED_CONNECTIONS,
    );
  });
  return { userId, cookie: `${SESSION_COOKIE}=${token}` };
}

/**
 * Session events the app wrote to its audit table, by type. Every one is a write per request
 * the benchmark did not mean to cause; an anomaly means the seeded ip or user agent does not
 * match what the app sees.
 */
export async function auditEventCounts(
  db: BenchDatabase,
  schema: string,
): Promise<Map<string, number>> {
  const rows = await db.query<{ type: string; n: string }>(
    `SELECT type, count(*) AS n FROM "${schema}".audit_events GROUP BY type ORDER BY type`,
  );
  return new Map(rows.map((row) => [row.type, Number(row.n)]));
}
