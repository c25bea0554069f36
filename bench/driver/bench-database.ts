import { createHmac, randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Pool, type QueryResultRow } from 'pg';
import { DataSource } from 'typeorm';
import { sessionEntities, sessionMigrations } from '@app/session/typeorm';
import {
  BENCH_CLIENT_IP,
  BENCH_USER_AGENT,
  EXPRESS_SESSION_COOKIE,
  SESSION_COOKIE,
} from '../shared/bench-targets';
import { newToken, seedSessions } from './session-seed';

/** The session every load request presents; seeded next to the filler rows. */
export interface KnownSession {
  userId: string;
  /** Full `Cookie` header value. */
  cookie: string;
}

const DRIVER_APP_NAME = 'nest-session-bench-driver';
const SEED_APP_NAME = 'nest-session-bench-seed';
/** Seeding connections: one per core of the 2-core machine the benchmark is sized for. */
export const SEED_CONNECTIONS = 2;
/** Far enough that nothing expires during a run, however long the run (express-session's rows). */
const FAR = "interval '30 days'";

/**
 * Everything the driver does in PostgreSQL: one schema per target, filled with the library's own
 * migration (or connect-pg-simple's table), seeded with generate_series (see session-seed.ts), and
 * the write counters read from pg_stat_user_tables.
 */
export class BenchDatabase {
  private readonly pool: Pool;

  constructor(private readonly url: string) {
    this.pool = new Pool({ connectionString: url, max: 2, application_name: DRIVER_APP_NAME });
  }

  async serverVersion(): Promise<string> {
    const { rows } = await this.pool.query<{ v: string }>(
      "SELECT current_setting('server_version') AS v",
    );
    return rows[0]?.v ?? 'unknown';
  }

  /** Creates `schema` with the library's tables, exactly as its exported migrations make them. */
  async createLibrarySchema(schema: string): Promise<void> {
    await this.recreateSchema(schema);
    const dataSource = new DataSource({
      type: 'postgres',
      url: this.url,
      schema,
      entities: sessionEntities,
      migrations: sessionMigrations,
      migrationsTableName: 'migrations',
      applicationName: SEED_APP_NAME,
      extra: { options: `-c search_path=${schema}` },
    });
    await dataSource.initialize();
    try {
      await dataSource.runMigrations({ transaction: 'all' });
    } finally {
      await dataSource.destroy();
    }
  }

  /**
   * `count` filler sessions of 20,000 users plus the known one (see seedSessions). `progress`
   * hears of each batch (the 10,000,000-row scale seed takes a minute or so).
   */
  async seedLibrarySessions(
    schema: string,
    count: number,
    progress?: (rows: number) => void,
  ): Promise<KnownSession> {
    const token = newToken();
    const userId = 'bench-user';
    await this.withSeedPool(schema, (pool) =>
      seedSessions(
        pool,
        {
          count,
          fillerUserId: "'user-' || (g % 20000)",
          known: { token, userId },
          ip: BENCH_CLIENT_IP,
          userAgent: BENCH_USER_AGENT,
          progress,
        },
        SEED_CONNECTIONS,
      ),
    );
    return { userId, cookie: `${SESSION_COOKIE}=${token}` };
  }

  /** connect-pg-simple's table (its table.sql) with `count` filler sessions plus the known one. */
  async seedExpressSessions(schema: string, count: number, secret: string): Promise<KnownSession> {
    await this.recreateSchema(schema);
    const sid = randomBytes(24).toString('base64url');
    const userId = 'bench-user';
    const sess = (id: string) =>
      `json_build_object('cookie', json_build_object('originalMaxAge', 1800000,
         'expires', to_json(now() + ${FAR}), 'secure', false, 'httpOnly', true, 'path', '/',
         'sameSite', 'lax'), 'userId', ${id})`;
    await this.withSeedPool(schema, async (client) => {
      await client.query(`CREATE TABLE "session" (
          "sid" varchar NOT NULL COLLATE "default",
          "sess" json NOT NULL,
          "expire" timestamp(6) NOT NULL)`);
      await client.query(
        `ALTER TABLE "session" ADD CONSTRAINT "session_pkey" PRIMARY KEY ("sid") NOT DEFERRABLE INITIALLY IMMEDIATE`,
      );
      await client.query(`CREATE INDEX "IDX_session_expire" ON "session" ("expire")`);
      await client.query(
        `INSERT INTO "session" (sid, sess, expire)
         SELECT 'bench-seed-' || g, ${sess("'user-' || (g % 20000)")}, now() + ${FAR}
           FROM generate_series(1, $1::int) AS g`,
        [count],
      );
      await client.query(
        `INSERT INTO "session" (sid, sess, expire) VALUES ($1, ${sess('$2::text')}, now() + ${FAR})`,
        [sid, userId],
      );
      await client.query('VACUUM (ANALYZE) "session"');
    });
    // express-session's cookie: "s:" + sid + "." + base64 HMAC-SHA256 without padding (cookie-signature).
    const signature = createHmac('sha256', secret).update(sid).digest('base64').replace(/=+$/, '');
    return {
      userId,
      cookie: `${EXPRESS_SESSION_COOKIE}=${encodeURIComponent(`s:${sid}.${signature}`)}`,
    };
  }

  /**
   * Rows inserted + updated + deleted in the schema's tables, as the statistics system has them.
   * Backends publish their counters when they exit, so call this only once the server's
   * connections are gone (see waitForDisconnect).
   */
  async writes(schema: string): Promise<number> {
    const { rows } = await this.pool.query<{ writes: string }>(
      `SELECT coalesce(sum(n_tup_ins + n_tup_upd + n_tup_del), 0)::bigint AS writes
         FROM pg_stat_user_tables WHERE schemaname = $1`,
      [schema],
    );
    return Number(rows[0]?.writes ?? 0);
  }

  /**
   * Waits until no connection of `appName` is left. A backend flushes its statistics while it
   * exits, just after it leaves pg_stat_activity, hence the short pause at the end.
   */
  async waitForDisconnect(appName: string, timeoutMs = 15_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const { rows } = await this.pool.query<{ n: string }>(
        'SELECT count(*) AS n FROM pg_stat_activity WHERE application_name = $1',
        [appName],
      );
      if (Number(rows[0]?.n) === 0) break;
      if (Date.now() > deadline) {
        throw new Error(`connections of "${appName}" still open after ${timeoutMs} ms`);
      }
      await sleep(50);
    }
    await sleep(300);
  }

  /** Process ids of the PostgreSQL backends serving `appName`'s connections. */
  async backendPids(appName: string): Promise<number[]> {
    const { rows } = await this.pool.query<{ pid: number }>(
      'SELECT pid FROM pg_stat_activity WHERE application_name = $1',
      [appName],
    );
    return rows.map((row) => row.pid);
  }

  /** An empty schema, for an app that migrates it itself (the sample app). */
  async createEmptySchema(schema: string): Promise<void> {
    await this.recreateSchema(schema);
  }

  /** A read on the driver's own connections. */
  async query<Row extends QueryResultRow>(text: string, values: unknown[] = []): Promise<Row[]> {
    const { rows } = await this.pool.query<Row>(text, values);
    return rows;
  }

  async dropSchema(schema: string): Promise<void> {
    await this.pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  private async recreateSchema(schema: string): Promise<void> {
    await this.dropSchema(schema);
    await this.pool.query(`CREATE SCHEMA "${schema}"`);
  }

  /**
   * Seeds through connections of its own, closed afterwards, so the seeding's own row counts
   * reach pg_stat_user_tables before any measurement starts. synchronous_commit off: a crash
   * mid-seed loses nothing a rerun would not redo; maintenance_work_mem: building the indexes of
   * 10,000,000 rows sorts in memory instead of on disk.
   */
  async withSeedPool(schema: string, work: (pool: Pool) => Promise<void>): Promise<void> {
    const pool = new Pool({
      connectionString: this.url,
      max: SEED_CONNECTIONS,
      application_name: SEED_APP_NAME,
      options: `-c search_path=${schema} -c synchronous_commit=off -c maintenance_work_mem=1GB`,
    });
    try {
      await work(pool);
    } finally {
      await pool.end();
    }
    await this.waitForDisconnect(SEED_APP_NAME);
  }
}
