import type { OnApplicationBootstrap } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { pickEvictions } from '../../policy/session.policy';
import type {
  CreateSessionParams,
  CreateSessionResult,
  EndAllForUserParams,
  EndSessionParams,
  RotateSessionParams,
  RotatedTokenRecord,
  SessionRecord,
} from '../session.record';
import { SessionStore } from '../session.store';
import type { PgPool, PgQueryable, PgQueryConfig } from './pg.queryable';
import {
  live,
  SESSION_COLUMNS,
  SESSION_SELECT,
  sessionSelect,
  type RotatedTokenRow,
  type SessionRow,
  sessionValues,
  toRotatedTokenRecord,
  toSessionRecord,
  toSessionRecords,
} from './session.row';

/**
 * The validation lookup as a named statement: each connection parses and plans it once, not on
 * every request. Its name and text sit on the prototype of an object with no own properties:
 * node-postgres copies a query config's own property descriptors on every call, which for a plain
 * `{ name, text, values }` object cost more CPU than the rest of the driver's work on the query.
 */
const FIND_BY_TOKEN_HASH: PgQueryConfig = Object.create(
  Object.freeze({
    name: 'nest_session_by_token_hash',
    text: `SELECT ${SESSION_SELECT} FROM sessions WHERE token_hash = $1`,
  }),
) as PgQueryConfig;

/**
 * The insert, refused (no row) when the user's revocation watermark ($21) is at or after the
 * moment the authentication began. It runs after the per-user lock, so its snapshot sees every
 * revocation committed before.
 */
const INSERT_SESSION = `INSERT INTO sessions (${SESSION_COLUMNS})
  SELECT $1::uuid, $2::bytea, $3::varchar, $4::varchar, $5::jsonb, $6::varchar, $7::varchar,
         $8::varchar, $9::varchar, $10::timestamptz, $11::timestamptz, $12::timestamptz,
         $13::timestamptz, $14::timestamptz, $15::timestamptz, $16::timestamptz, $17::int,
         $18::timestamptz, $19::varchar, $20::timestamptz
   WHERE $21::timestamptz IS NULL OR NOT EXISTS (
     SELECT 1 FROM session_user_revocations WHERE user_id = $3 AND revoked_before >= $21)`;

/** The per-user lock that orders creates, limits and revocations of one user, across processes. */
const LOCK_USER = `SELECT pg_advisory_xact_lock(hashtext('nest-session:user-limit'), hashtext($1))`;

/**
 * The default store: PostgreSQL (or the embedded PGlite) through the TypeORM DataSource's
 * node-postgres pool.
 *
 * Queries are hand-written SQL sent straight to the driver's pool rather than through the
 * EntityManager: validation runs on every request, and one indexed statement without ORM
 * hydration is the cheapest way to answer it. The entities and migration describe the same
 * tables for schema management. Unqualified table names follow the connection's `search_path`.
 */
export class PostgresSessionStore extends SessionStore implements OnApplicationBootstrap {
  private cachedPool: PgPool | undefined;

  /**
   * @param dataSource the DataSource, or a function returning it — the module passes a function
   * because TypeORM may finish initializing its DataSource after this store is constructed.
   */
  constructor(private readonly dataSource: DataSource | (() => DataSource)) {
    super();
  }

  /** Fails the boot, not the first request, when no usable DataSource is there. */
  onApplicationBootstrap(): void {
    void this.pool;
  }

  async create(record: SessionRecord, params: CreateSessionParams): Promise<CreateSessionResult> {
    return this.transaction(async (tx): Promise<CreateSessionResult> => {
      // Serialize check-and-insert per user. A transaction-scoped advisory lock rather than
      // SELECT … FOR UPDATE: FOR UPDATE only locks rows that already exist, so two first logins
      // of a user with no live session would both see zero and both insert (a phantom). The
      // advisory lock keys on the user id itself, holds across processes sharing the database,
      // and is released by COMMIT/ROLLBACK even if the process dies. endAllForUser takes it too,
      // which orders every create against a revocation of the same user.
      await tx.query(LOCK_USER, [record.userId]);
      let evicted: SessionRecord[] = [];
      if (params.limit) {
        const { max, strategy } = params.limit;
        // READ COMMITTED gives this statement a fresh snapshot taken after the lock was granted,
        // so it sees the sessions committed by the previous holder.
        const { rows } = await tx.query<SessionRow>(
          `SELECT ${SESSION_SELECT} FROM sessions WHERE user_id = $1 AND ${live(2)}`,
          [record.userId, params.now],
        );
        if (rows.length >= max) {
          if (strategy === 'reject') {
            if (await this.revokedSince(tx, record.userId, params.authenticatedSince)) {
              return { created: false, reason: 'revoked' };
            }
            return { created: false, reason: 'limit', activeCount: rows.length };
          }
          const victims = pickEvictions(toSessionRecords(rows), max, strategy);
          const ended = await tx.query<SessionRow>(
            `UPDATE sessions SET ended_at = $2, end_reason = 'limit', purge_after = $3
              WHERE id = ANY($1::uuid[]) AND ended_at IS NULL RETURNING ${SESSION_SELECT}`,
            [victims.map((v) => v.id), params.now, params.evictedPurgeAfter],
          );
          evicted = toSessionRecords(ended.rows);
        }
      }
      const inserted = await tx.query(INSERT_SESSION, [
        ...sessionValues(record),
        params.authenticatedSince ?? null,
      ]);
      // Refused by the watermark: roll back, so no limit eviction happened for nothing.
      if (inserted.rowCount === 0) throw new RevokedMeanwhile();
      return { created: true, evicted };
    }).catch((error: unknown): CreateSessionResult => {
      if (error instanceof RevokedMeanwhile) return { created: false, reason: 'revoked' };
      throw error;
    });
  }

  /**
   * One statement: the insert wins, or takes over a record that has expired (not yet purged); a
   * live record makes it return no row. The primary key settles two racing claims.
   */
  override async claimProof(key: string, expiresAt: Date, now: Date): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      `INSERT INTO session_used_proofs (proof_key, expires_at) VALUES ($1, $2)
         ON CONFLICT (proof_key) DO UPDATE SET expires_at = EXCLUDED.expires_at
         WHERE session_used_proofs.expires_at <= $3`,
      [key, expiresAt, now],
    );
    return rowCount === 1;
  }

  async findByTokenHash(tokenHash: Buffer): Promise<SessionRecord | null> {
    const { rows } = await this.pool.query<SessionRow>(FIND_BY_TOKEN_HASH, [tokenHash]);
    return rows[0] ? toSessionRecord(rows[0], tokenHash) : null;
  }

  async findRotatedToken(tokenHash: Buffer): Promise<RotatedTokenRecord | null> {
    const { rows } = await this.pool.query<RotatedTokenRow>(
      `SELECT token_hash, session_id, user_id, grace_until, purge_after
         FROM session_rotated_tokens WHERE token_hash = $1`,
      [tokenHash],
    );
    return rows[0] ? toRotatedTokenRecord(rows[0]) : null;
  }

  async findById(id: string): Promise<SessionRecord | null> {
    return this.one(`SELECT ${SESSION_SELECT} FROM sessions WHERE id = $1`, [id]);
  }

  async touch(
    id: string,
    params: { lastSeenAt: Date; idleExpiresAt: Date; notAfter: Date; now: Date },
  ): Promise<boolean> {
    // Conditional on liveness (never revives an ended session) and on last_seen_at (of a burst
    // of concurrent requests, only the first matches: the others see the new value).
    const { rowCount } = await this.pool.query(
      `UPDATE sessions SET last_seen_at = $2, idle_expires_at = $3
        WHERE id = $1 AND ${live(4)} AND last_seen_at <= $5`,
      [id, params.lastSeenAt, params.idleExpiresAt, params.now, params.notAfter],
    );
    return rowCount === 1;
  }

  async rotate(id: string, params: RotateSessionParams): Promise<SessionRecord | null> {
    // One statement: lock the live row, keep its old hash as a rotated-token tombstone, swap in
    // the new hash. A racing rotation waits on the row lock and then re-checks the WHERE clause,
    // so with an expected generation only one of them wins.
    return this.one(
      `WITH old AS (
         SELECT id, token_hash, user_id FROM sessions
          WHERE id = $1 AND ${live(4)} AND ($5::int IS NULL OR generation = $5::int)
          FOR UPDATE
       ), tombstone AS (
         INSERT INTO session_rotated_tokens (token_hash, session_id, user_id, grace_until, purge_after)
         SELECT token_hash, id, user_id, $6, $7 FROM old
       )
       UPDATE sessions s
          SET token_hash = $2, csrf_token = $3, rotated_at = $4, generation = s.generation + 1,
              authenticated_at = CASE WHEN $8::boolean THEN $4 ELSE s.authenticated_at END
         FROM old WHERE s.id = old.id
       RETURNING ${sessionSelect('s')}`,
      [
        id,
        params.newTokenHash,
        params.newCsrfToken,
        params.now,
        params.expectedGeneration ?? null,
        params.graceUntil,
        params.purgeAfter,
        params.reauthenticated,
      ],
    );
  }

  async end(id: string, params: EndSessionParams): Promise<SessionRecord | null> {
    return this.one(
      `UPDATE sessions SET ended_at = $2, end_reason = $3, purge_after = $4
        WHERE id = $1 AND ended_at IS NULL
          AND ($3 IN ('idle', 'absolute') OR (idle_expires_at > $2 AND absolute_expires_at > $2))
        RETURNING ${SESSION_SELECT}`,
      [id, params.now, params.reason, params.purgeAfter],
    );
  }

  async endAllForUser(userId: string, params: EndAllForUserParams): Promise<SessionRecord[]> {
    return this.transaction(async (tx) => {
      // The same lock as create: a create either commits before (and is ended here) or runs
      // after, and then sees the watermark.
      await tx.query(LOCK_USER, [userId]);
      if (params.watermark) {
        await tx.query(
          `INSERT INTO session_user_revocations (user_id, revoked_before, purge_after)
             VALUES ($1, $2, $3)
           ON CONFLICT (user_id) DO UPDATE SET
             revoked_before = GREATEST(session_user_revocations.revoked_before, EXCLUDED.revoked_before),
             purge_after = GREATEST(session_user_revocations.purge_after, EXCLUDED.purge_after)`,
          [userId, params.watermark, params.purgeAfter],
        );
      }
      const { rows } = await tx.query<SessionRow>(
        `UPDATE sessions SET ended_at = $2, end_reason = $3, purge_after = $4
          WHERE user_id = $1 AND ${live(2)} AND ($5::uuid IS NULL OR id <> $5::uuid)
          RETURNING ${SESSION_SELECT}`,
        [userId, params.now, params.reason, params.purgeAfter, params.exceptId ?? null],
      );
      return toSessionRecords(rows);
    });
  }

  async endAll(params: EndSessionParams): Promise<number> {
    const { rowCount } = await this.pool.query(
      `UPDATE sessions SET ended_at = $1, end_reason = $2, purge_after = $3 WHERE ${live(1)}`,
      [params.now, params.reason, params.purgeAfter],
    );
    return rowCount ?? 0;
  }

  async listActive(userId: string, now: Date): Promise<SessionRecord[]> {
    const { rows } = await this.pool.query<SessionRow>(
      `SELECT ${SESSION_SELECT} FROM sessions WHERE user_id = $1 AND ${live(2)}
        ORDER BY created_at DESC, id`,
      [userId, now],
    );
    return toSessionRecords(rows);
  }

  override async countAllActive(now: Date): Promise<number> {
    const { rows } = await this.pool.query<{ count: string }>(
      `SELECT count(*) AS count FROM sessions WHERE ${live(1)}`,
      [now],
    );
    return Number(rows[0]?.count ?? 0);
  }

  async countActive(userId: string, now: Date): Promise<number> {
    const { rows } = await this.pool.query<{ count: string }>(
      `SELECT count(*) AS count FROM sessions WHERE user_id = $1 AND ${live(2)}`,
      [userId, now],
    );
    return Number(rows[0]?.count ?? 0);
  }

  override async recordSighting(id: string, ip: string, at: Date): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      `UPDATE sessions SET last_ip = $2, last_ip_at = $3 WHERE id = $1 AND ${live(3)}`,
      [id, ip, at],
    );
    return rowCount === 1;
  }

  override async bindKey(id: string, boundKey: string, now: Date): Promise<SessionRecord | null> {
    return this.one(
      `UPDATE sessions SET bound_key = $2
        WHERE id = $1 AND bound_key IS NULL AND ${live(3)} RETURNING ${SESSION_SELECT}`,
      [id, boundKey, now],
    );
  }

  async updateData(
    id: string,
    data: Record<string, unknown>,
    now: Date,
  ): Promise<SessionRecord | null> {
    return this.one(
      `UPDATE sessions SET data = $2 WHERE id = $1 AND ${live(3)} RETURNING ${SESSION_SELECT}`,
      [id, JSON.stringify(data), now],
    );
  }

  async purge(now: Date, batchSize: number): Promise<number> {
    return this.transaction(async (tx) => {
      // One instance purges at a time: the others skip this round instead of deleting the same
      // rows in parallel. The lock ends with the transaction, even if this process dies.
      const { rows } = await tx.query<{ locked: boolean }>(
        `SELECT pg_try_advisory_xact_lock(hashtext('nest-session:purge')) AS locked`,
      );
      if (!rows[0]?.locked) return 0;
      // Bounded batches keep each statement short, so cleanup never holds long locks. The batch
      // is collected into an array first (an InitPlan) and then probed by primary key: written
      // as `IN (SELECT …)`, PostgreSQL 15 hash-joins it against a scan of the whole table.
      const tokens = await tx.query(
        `DELETE FROM session_rotated_tokens WHERE token_hash = ANY(ARRAY(
           SELECT token_hash FROM session_rotated_tokens WHERE purge_after <= $1 LIMIT $2))`,
        [now, batchSize],
      );
      const sessions = await tx.query(
        `DELETE FROM sessions WHERE id = ANY(ARRAY(
           SELECT id FROM sessions WHERE purge_after <= $1 LIMIT $2))`,
        [now, batchSize],
      );
      const watermarks = await tx.query(
        `DELETE FROM session_user_revocations WHERE user_id = ANY(ARRAY(
           SELECT user_id FROM session_user_revocations WHERE purge_after <= $1 LIMIT $2))`,
        [now, batchSize],
      );
      const proofs = await tx.query(
        `DELETE FROM session_used_proofs WHERE proof_key = ANY(ARRAY(
           SELECT proof_key FROM session_used_proofs WHERE expires_at <= $1 LIMIT $2))`,
        [now, batchSize],
      );
      return (
        (tokens.rowCount ?? 0) +
        (sessions.rowCount ?? 0) +
        (watermarks.rowCount ?? 0) +
        (proofs.rowCount ?? 0)
      );
    });
  }

  /** The node-postgres-compatible pool TypeORM opened for this DataSource. */
  get pool(): PgPool {
    if (this.cachedPool) return this.cachedPool;
    const dataSource = typeof this.dataSource === 'function' ? this.dataSource() : this.dataSource;
    const pool = (dataSource.driver as unknown as { master?: PgPool }).master;
    if (!pool || typeof pool.connect !== 'function') {
      throw new Error(
        'PostgresSessionStore needs an initialized PostgreSQL DataSource (type "postgres").',
      );
    }
    this.cachedPool = pool;
    return pool;
  }

  private async revokedSince(tx: PgQueryable, userId: string, since: Date | undefined) {
    if (!since) return false;
    const { rows } = await tx.query(
      `SELECT 1 FROM session_user_revocations WHERE user_id = $1 AND revoked_before >= $2`,
      [userId, since],
    );
    return rows.length > 0;
  }

  private async one(text: string, values: unknown[]): Promise<SessionRecord | null> {
    const { rows } = await this.pool.query<SessionRow>(text, values);
    return rows[0] ? toSessionRecord(rows[0]) : null;
  }

  private async transaction<T>(work: (tx: PgQueryable) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      client.release();
      return result;
    } catch (error) {
      const rolledBack = await client.query('ROLLBACK').then(
        () => true,
        () => false,
      );
      // A client whose rollback failed may be broken: destroy it instead of pooling it.
      client.release(rolledBack ? undefined : true);
      throw error;
    }
  }
}

/**
 * The PostgreSQL store under its first name.
 *
 * @deprecated Use `PostgresSessionStore` (it talks to node-postgres through TypeORM's pool; the
 * name says what it stores in). This alias will be removed in the next major version.
 */
export const TypeOrmSessionStore = PostgresSessionStore;
/** @deprecated Use `PostgresSessionStore`. */
export type TypeOrmSessionStore = PostgresSessionStore;

/** Rolls a create back when the watermark refused its insert (evictions included). */
class RevokedMeanwhile extends Error {}
