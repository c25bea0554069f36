import type { RotatedTokenRecord, SessionEndReason, SessionRecord } from '../session-record';

/** Epoch milliseconds as node-postgres returns an int8: a string. */
type EpochMs = string | number;

/** A `sessions` row as selected by `SESSION_SELECT`. */
export interface SessionRow {
  id: string;
  token_hash: Buffer;
  user_id: string;
  csrf_token: string;
  data: Record<string, unknown>;
  ip: string | null;
  user_agent: string | null;
  created_at: EpochMs;
  last_seen_at: EpochMs;
  idle_expires_at: EpochMs;
  absolute_expires_at: EpochMs;
  authenticated_at: EpochMs;
  rotated_at: EpochMs;
  generation: number;
  ended_at: EpochMs | null;
  end_reason: string | null;
  purge_after: EpochMs;
}

export interface RotatedTokenRow {
  token_hash: Buffer;
  session_id: string;
  user_id: string;
  grace_until: Date | null;
  purge_after: Date;
}

/** Column list in the order of `sessionValues()`. */
export const SESSION_COLUMNS =
  'id, token_hash, user_id, csrf_token, data, ip, user_agent, created_at, last_seen_at, ' +
  'idle_expires_at, absolute_expires_at, authenticated_at, rotated_at, generation, ended_at, ' +
  'end_reason, purge_after';

const TIME_COLUMNS = new Set([
  'created_at',
  'last_seen_at',
  'idle_expires_at',
  'absolute_expires_at',
  'authenticated_at',
  'rotated_at',
  'ended_at',
  'purge_after',
]);

/**
 * The select list of a session, with times as epoch milliseconds. Validation reads a row on every
 * request, and turning 8 timestamptz strings into Dates through pg's date parser was a measurable
 * share of that (see BENCHMARKS.md); an int8 of milliseconds converts for almost nothing.
 */
export function sessionSelect(alias?: string): string {
  const prefix = alias ? `${alias}.` : '';
  return SESSION_COLUMNS.split(', ')
    .map((column) =>
      TIME_COLUMNS.has(column)
        ? `(extract(epoch from ${prefix}${column}) * 1000)::int8 AS ${column}`
        : `${prefix}${column}`,
    )
    .join(', ');
}

export const SESSION_SELECT = sessionSelect();

export function sessionValues(r: SessionRecord): unknown[] {
  return [
    r.id,
    r.tokenHash,
    r.userId,
    r.csrfToken,
    JSON.stringify(r.data),
    r.ip,
    r.userAgent,
    r.createdAt,
    r.lastSeenAt,
    r.idleExpiresAt,
    r.absoluteExpiresAt,
    r.authenticatedAt,
    r.rotatedAt,
    r.generation,
    r.endedAt,
    r.endReason,
    r.purgeAfter,
  ];
}

export function toSessionRecord(row: SessionRow): SessionRecord {
  return {
    id: row.id,
    tokenHash: row.token_hash,
    userId: row.user_id,
    csrfToken: row.csrf_token,
    data: row.data,
    ip: row.ip,
    userAgent: row.user_agent,
    createdAt: toDate(row.created_at),
    lastSeenAt: toDate(row.last_seen_at),
    idleExpiresAt: toDate(row.idle_expires_at),
    absoluteExpiresAt: toDate(row.absolute_expires_at),
    authenticatedAt: toDate(row.authenticated_at),
    rotatedAt: toDate(row.rotated_at),
    generation: Number(row.generation),
    endedAt: row.ended_at === null ? null : toDate(row.ended_at),
    endReason: row.end_reason as SessionEndReason | null,
    purgeAfter: toDate(row.purge_after),
  };
}

function toDate(ms: EpochMs): Date {
  return new Date(Number(ms));
}

export function toRotatedTokenRecord(row: RotatedTokenRow): RotatedTokenRecord {
  return {
    tokenHash: row.token_hash,
    sessionId: row.session_id,
    userId: row.user_id,
    graceUntil: row.grace_until,
    purgeAfter: row.purge_after,
  };
}
