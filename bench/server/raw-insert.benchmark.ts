import { createHash, randomBytes, randomInt, randomUUID } from 'node:crypto';
import { BENCH_CLIENT_IP, BENCH_USER_AGENT, type CreateResult } from '../shared/bench-targets';
import { measureThroughput } from './measure-throughput';
import type { ServerConfig } from './server-config';
import { benchPgPool } from './targets/bench-pg-pool';

const COLUMNS = [
  'id',
  'token_hash',
  'user_id',
  'csrf_token',
  'data',
  'ip',
  'user_agent',
  'created_at',
  'last_seen_at',
  'idle_expires_at',
  'absolute_expires_at',
  'authenticated_at',
  'rotated_at',
  'generation',
  'ended_at',
  'end_reason',
  'purge_after',
];

/** One plain parameterized statement (unnamed, as raw-pg's SELECT), written from the table. */
const INSERT =
  `INSERT INTO sessions (${COLUMNS.join(', ')}) ` +
  `VALUES (${COLUMNS.map((_, i) => `$${i + 1}`).join(', ')})`;

/**
 * The floor under session creation: the create benchmark's workers, users and timing, but each
 * operation only makes a fresh row (uuid, token and its SHA-256, CSRF token) and INSERTs it
 * through a pg.Pool the size of the library's DataSource. No limit check, no eviction, no events.
 */
export async function runRawInsertBenchmark(config: ServerConfig): Promise<CreateResult> {
  const pool = benchPgPool(config);
  try {
    const { users } = config.create;
    const insert = () => {
      const now = Date.now();
      const at = (seconds: number) => new Date(now + seconds * 1000);
      const token = randomBytes(32).toString('base64url');
      return pool.query(INSERT, [
        randomUUID(),
        createHash('sha256').update(token, 'utf8').digest(),
        `create-user-${randomInt(users)}`,
        randomBytes(32).toString('base64url'),
        '{}',
        BENCH_CLIENT_IP,
        BENCH_USER_AGENT,
        at(0),
        at(0),
        at(1800),
        at(86_400),
        at(0),
        at(0),
        0,
        null,
        null,
        at(86_400),
      ]);
    };
    return await measureThroughput(insert, config.create);
  } finally {
    await pool.end();
  }
}
