import { createHash, randomBytes } from 'node:crypto';
import type { Pool } from 'pg';
import { withIndexesBuiltAfter } from './deferred-indexes';

/** Rows per INSERT … SELECT: small enough to log progress and keep each transaction short. */
const BATCH_ROWS = 1_000_000;
/** Far enough that nothing expires during a run, however long the run. */
const FAR = "interval '30 days'";

const COLUMNS =
  'id, token_hash, user_id, csrf_token, data, ip, user_agent, created_at, last_seen_at, ' +
  'idle_expires_at, absolute_expires_at, authenticated_at, rotated_at, generation, ended_at, ' +
  'end_reason, purge_after';

/** What goes into a `sessions` table (the library's layout, as its migration creates it). */
export interface SessionSeed {
  /** Filler sessions, numbered 1..count. */
  count: number;
  /** SQL expression of a filler session's user id, in terms of `g`, its number. */
  fillerUserId: string;
  /** SQL expression of a filler session's data (jsonb), in terms of `g`; `'{}'` by default. */
  fillerData?: string;
  /** The session every load request presents, with the data its server keeps in it. */
  known: { token: string; userId: string; data?: Record<string, unknown> };
  /** Stored on every session: what the server will see, so anomaly checks stay quiet. */
  ip: string;
  userAgent: string;
  /** Called after each batch with the rows inserted so far. */
  progress?: (rows: number) => void;
}

/**
 * Fills `sessions`: filler rows from generate_series in batches, spread over the pool's
 * connections (one per core keeps PostgreSQL busy while a batch commits), then the known session,
 * with the indexes built afterwards, then VACUUM ANALYZE. Every session is live for 30 days with
 * last_seen_at = now, so the sliding renewal writes at most once per touchInterval.
 */
export async function seedSessions(pool: Pool, seed: SessionSeed, parallel: number): Promise<void> {
  await withIndexesBuiltAfter(pool, 'sessions', async () => {
    let next = 1;
    let done = 0;
    const worker = async () => {
      while (next <= seed.count) {
        const first = next;
        const last = Math.min(seed.count, first + BATCH_ROWS - 1);
        next = last + 1;
        await insertFillers(pool, seed, first, last);
        done += last - first + 1;
        seed.progress?.(done);
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, parallel) }, worker));
    await pool.query(
      `INSERT INTO sessions (${COLUMNS})
       VALUES (gen_random_uuid(), $1, $2, $3, $6, $4, $5, now(), now(), now() + ${FAR},
               now() + ${FAR}, now(), now(), 0, NULL, NULL, now() + ${FAR} * 2)`,
      [
        createHash('sha256').update(seed.known.token, 'utf8').digest(),
        seed.known.userId,
        randomBytes(32).toString('base64url'),
        seed.ip,
        seed.userAgent,
        JSON.stringify(seed.known.data ?? {}),
      ],
    );
  });
  await pool.query('VACUUM (ANALYZE) sessions');
  await pool.query('VACUUM (ANALYZE) session_rotated_tokens');
}

async function insertFillers(
  pool: Pool,
  seed: SessionSeed,
  first: number,
  last: number,
): Promise<void> {
  await pool.query(
    `INSERT INTO sessions (${COLUMNS})
     SELECT gen_random_uuid(), sha256(('bench-seed-' || g)::bytea), ${seed.fillerUserId},
            md5(g::text), ${seed.fillerData ?? "'{}'"}, $3, $4, now(), now(), now() + ${FAR}, now() + ${FAR}, now(),
            now(), 0, NULL, NULL, now() + ${FAR} * 2
       FROM generate_series($1::int, $2::int) AS g`,
    [first, last, seed.ip, seed.userAgent],
  );
}

/** A new session token as the library issues them: 32 random bytes, base64url (43 characters). */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}
