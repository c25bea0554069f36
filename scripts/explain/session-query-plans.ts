import { createHash } from 'node:crypto';
import { sessionMigrations } from '@app/session/typeorm';
import type { ClientBase } from 'pg';
import { DataSource } from 'typeorm';
import {
  live,
  SESSION_COLUMNS,
  SESSION_SELECT,
} from '../../libs/session/src/store/postgres/session.row';

/*
 * The session store's hot statements, as `PostgresSessionStore` sends them (its select list and
 * liveness condition are imported; the statements around them follow
 * libs/session/src/store/typeorm/typeorm-session.store.ts), each with the index it must use.
 * Shared by scripts/explain-session-queries.ts (writes docs/EXPLAIN.md from 1,000,000 rows) and
 * test/operations/session-indexes.e2e-spec.ts (asserts the same plans on ~50,000 rows).
 */

/** Every seeded user has this many sessions; users are `user-0` … `user-(rows/10 - 1)`. */
export const SESSIONS_PER_USER = 10;

export interface PlanContext {
  /** The time the seed was taken relative to. */
  now: Date;
  rows: number;
}

export interface HotQuery {
  name: string;
  /** When the store runs it. */
  when: string;
  sql: string;
  params(context: PlanContext): unknown[];
  /** The index the plan must use. */
  index: string;
  /** Writes: explained inside a transaction that is rolled back. */
  writes?: boolean;
}

const tokenHash = (label: string): Buffer => createHash('sha256').update(label).digest();
/** A seeded session of a live state (see `seedSessions`: g % 100 >= 20 is live). */
const LIVE_G = 4242;
/** A seeded tombstone: they exist for g = 1, 11, 21, … */
const ROTATED_G = 4241;
const sessionId = (g: number): string =>
  createHash('md5')
    .update(`session-${g}`)
    .digest('hex')
    .replace(/^(.{8})(.{4})(.{4})(.{4})/, '$1-$2-$3-$4-');
const userOf = (g: number, rows: number): string => `user-${g % (rows / SESSIONS_PER_USER)}`;
const minutesFrom = (now: Date, minutes: number): Date =>
  new Date(now.getTime() + minutes * 60_000);

export const HOT_QUERIES: HotQuery[] = [
  {
    name: 'find by token hash',
    when: 'every authenticated request (validation)',
    sql: `SELECT ${SESSION_SELECT} FROM sessions WHERE token_hash = $1`,
    params: () => [tokenHash(`token-${LIVE_G}`)],
    index: 'UQ_sessions_token_hash',
  },
  {
    name: 'find rotated token by hash',
    when: 'a request with an unknown token (grace window, replay detection)',
    sql: `SELECT token_hash, session_id, user_id, grace_until, purge_after
         FROM session_rotated_tokens WHERE token_hash = $1`,
    params: () => [tokenHash(`rotated-${ROTATED_G}`)],
    index: 'PK_session_rotated_tokens',
  },
  {
    name: 'touch (sliding renewal)',
    when: 'at most once per touchInterval per session',
    sql: `UPDATE sessions SET last_seen_at = $2, idle_expires_at = $3
        WHERE id = $1 AND ${live(4)} AND last_seen_at <= $5`,
    params: ({ now }) => [sessionId(LIVE_G), now, minutesFrom(now, 30), now, now],
    index: 'PK_sessions',
    writes: true,
  },
  {
    name: 'list a user’s live sessions',
    when: 'GET /sessions',
    sql: `SELECT ${SESSION_SELECT} FROM sessions WHERE user_id = $1 AND ${live(2)}
        ORDER BY created_at DESC, id`,
    params: ({ now, rows }) => [userOf(LIVE_G, rows), now],
    index: 'IDX_sessions_user_live',
  },
  {
    name: 'limit check (inside the per-user advisory lock)',
    when: 'every login when maxSessionsPerUser is set',
    sql: `SELECT ${SESSION_SELECT} FROM sessions WHERE user_id = $1 AND ${live(2)}`,
    params: ({ now, rows }) => [userOf(LIVE_G, rows), now],
    index: 'IDX_sessions_user_live',
  },
  {
    name: 'count a user’s live sessions',
    when: 'SessionService.countActive',
    sql: `SELECT count(*) AS count FROM sessions WHERE user_id = $1 AND ${live(2)}`,
    params: ({ now, rows }) => [userOf(LIVE_G, rows), now],
    index: 'IDX_sessions_user_live',
  },
  {
    name: 'revoke all of a user’s sessions',
    when: 'password change, account deletion, DELETE /sessions',
    sql: `UPDATE sessions SET ended_at = $2, end_reason = $3, purge_after = $4
        WHERE user_id = $1 AND ${live(2)} AND ($5::uuid IS NULL OR id <> $5::uuid)
        RETURNING ${SESSION_SELECT}`,
    params: ({ now, rows }) => [userOf(LIVE_G, rows), now, 'user', minutesFrom(now, 1440), null],
    index: 'IDX_sessions_user_live',
    writes: true,
  },
  {
    name: 'cleanup: one batch of sessions',
    when: 'SessionCleanup, every cleanupInterval',
    sql: `DELETE FROM sessions WHERE id = ANY(ARRAY(
           SELECT id FROM sessions WHERE purge_after <= $1 LIMIT $2))`,
    params: ({ now }) => [now, 1000],
    index: 'IDX_sessions_purge_after',
    writes: true,
  },
  {
    name: 'cleanup: one batch of rotated tokens',
    when: 'SessionCleanup, every cleanupInterval',
    sql: `DELETE FROM session_rotated_tokens WHERE token_hash = ANY(ARRAY(
           SELECT token_hash FROM session_rotated_tokens WHERE purge_after <= $1 LIMIT $2))`,
    params: ({ now }) => [now, 1000],
    index: 'IDX_session_rotated_tokens_purge_after',
    writes: true,
  },
];

/** Creates `schema` and the session tables in it with the library's own migration. */
export async function createSessionSchema(url: string, schema: string): Promise<void> {
  const admin = new DataSource({ type: 'postgres', url });
  await admin.initialize();
  try {
    await admin.query(`CREATE SCHEMA "${schema}"`);
  } finally {
    await admin.destroy();
  }
  const dataSource = new DataSource({
    type: 'postgres',
    url,
    schema,
    migrations: sessionMigrations,
    uuidExtension: 'pgcrypto',
    installExtensions: false,
    extra: { options: `-c search_path=${schema}` },
  });
  await dataSource.initialize();
  try {
    await dataSource.runMigrations();
  } finally {
    await dataSource.destroy();
  }
}

/**
 * Fills the session tables (search_path = the throwaway schema) with `rows` sessions in one
 * INSERT … SELECT generate_series, shaped like a busy steady state: 10 sessions per user;
 * 80 % live, 19 % ended and kept for their retention window, 1 % due for purge (what one cleanup
 * interval leaves behind); plus rows / 10 rotated-token tombstones, 1 % of them due. Then ANALYZE,
 * so the planner sees the real distribution.
 */
export async function seedSessions(client: ClientBase, rows: number, now: Date): Promise<void> {
  const users = rows / SESSIONS_PER_USER;
  await client.query(
    `INSERT INTO sessions (${SESSION_COLUMNS})
     SELECT md5('session-' || g)::uuid, sha256(convert_to('token-' || g, 'UTF8')),
            'user-' || (g % $2), md5('csrf-' || g), '{}', '10.0.0.' || (g % 250), 'seed', NULL, NULL, NULL,
            $1::timestamptz - make_interval(secs => g % 86400),
            $1::timestamptz - make_interval(secs => g % 600),
            CASE WHEN g % 100 >= 20 THEN $1::timestamptz + interval '30 minutes'
                 ELSE $1::timestamptz - interval '1 hour' END,
            $1::timestamptz + interval '1 day',
            $1::timestamptz - make_interval(secs => g % 86400),
            $1::timestamptz - make_interval(secs => g % 86400),
            0,
            CASE WHEN g % 100 >= 20 THEN NULL ELSE $1::timestamptz - interval '1 hour' END,
            CASE WHEN g % 100 >= 20 THEN NULL ELSE 'logout' END,
            CASE WHEN g % 100 = 0 THEN $1::timestamptz - interval '1 hour'
                 WHEN g % 100 < 20 THEN $1::timestamptz + interval '1 day'
                 ELSE $1::timestamptz + interval '2 days' END
       FROM generate_series(1, $3::int) AS g`,
    [now, users, rows],
  );
  await client.query(
    `INSERT INTO session_rotated_tokens (token_hash, session_id, user_id, grace_until, purge_after)
     SELECT sha256(convert_to('rotated-' || g, 'UTF8')), md5('session-' || g)::uuid,
            'user-' || (g % $2), NULL,
            CASE WHEN g % 1000 = 1 THEN $1::timestamptz - interval '1 hour'
                 ELSE $1::timestamptz + interval '1 day' END
       FROM generate_series(1, $3::int, 10) AS g`,
    [now, users, rows],
  );
  await client.query('VACUUM ANALYZE sessions');
  await client.query('VACUUM ANALYZE session_rotated_tokens');
}

/** EXPLAIN of one hot query; writes run inside a transaction that is rolled back. */
export async function explainQuery(
  client: ClientBase,
  query: HotQuery,
  context: PlanContext,
  options: string,
): Promise<unknown[]> {
  if (query.writes) await client.query('BEGIN');
  try {
    const { rows } = await client.query(`EXPLAIN (${options}) ${query.sql}`, query.params(context));
    return rows.map((row: Record<string, unknown>) => row['QUERY PLAN']);
  } finally {
    if (query.writes) await client.query('ROLLBACK');
  }
}

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}

/** Every scan in a FORMAT JSON plan, as `Node Type` plus relation and index. */
export function scansOf(jsonPlan: unknown): { node: string; relation?: string; index?: string }[] {
  const [root] = jsonPlan as [{ Plan: PlanNode }];
  const scans: { node: string; relation?: string; index?: string }[] = [];
  const walk = (node: PlanNode): void => {
    if (node['Node Type'].includes('Scan')) {
      scans.push({
        node: node['Node Type'],
        relation: node['Relation Name'],
        index: node['Index Name'],
      });
    }
    node.Plans?.forEach(walk);
  };
  walk(root.Plan);
  return scans;
}

/** Whether a FORMAT JSON plan uses the query's index and scans no table sequentially. */
export function planIsIndexed(query: HotQuery, jsonPlan: unknown): boolean {
  const scans = scansOf(jsonPlan);
  return (
    scans.some((scan) => scan.index === query.index) &&
    !scans.some((scan) => scan.node === 'Seq Scan')
  );
}
