import type { RotatedTokenRecord, SessionEndReason, SessionRecord } from '../session-record';

/** A `sessions` row as node-postgres returns it. */
export interface SessionRow {
  id: string;
  token_hash: Buffer;
  user_id: string;
  csrf_token: string;
  data: Record<string, unknown>;
  ip: string | null;
  user_agent: string | null;
  created_at: Date;
  last_seen_at: Date;
  idle_expires_at: Date;
  absolute_expires_at: Date;
  authenticated_at: Date;
  rotated_at: Date;
  generation: number;
  ended_at: Date | null;
  end_reason: string | null;
  purge_after: Date;
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
    createdAt: row.created_at,
    lastSeenAt: row.last_seen_at,
    idleExpiresAt: row.idle_expires_at,
    absoluteExpiresAt: row.absolute_expires_at,
    authenticatedAt: row.authenticated_at,
    rotatedAt: row.rotated_at,
    generation: Number(row.generation),
    endedAt: row.ended_at,
    endReason: row.end_reason as SessionEndReason | null,
    purgeAfter: row.purge_after,
  };
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
