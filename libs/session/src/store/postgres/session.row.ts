import type { RotatedTokenRecord, SessionEndReason, SessionRecord } from '../session.record';

/**
 * A session as `SESSION_SELECT` returns it: one json array, in `SESSION_COLUMNS` order, with the
 * token hash in hex and times as epoch milliseconds.
 */
export type SessionTuple = [
  id: string,
  tokenHashHex: string,
  userId: string,
  csrfToken: string,
  data: Record<string, unknown>,
  ip: string | null,
  userAgent: string | null,
  boundKey: string | null,
  lastIp: string | null,
  lastIpAt: number | null,
  createdAt: number,
  lastSeenAt: number,
  idleExpiresAt: number,
  absoluteExpiresAt: number,
  authenticatedAt: number,
  rotatedAt: number,
  generation: number,
  endedAt: number | null,
  endReason: string | null,
  purgeAfter: number,
];

/** A row selected with `SESSION_SELECT`; `session` arrives parsed (or as text with a custom parser). */
export interface SessionRow {
  session: SessionTuple | string;
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
  'id, token_hash, user_id, csrf_token, data, ip, user_agent, bound_key, last_ip, last_ip_at, ' +
  'created_at, last_seen_at, ' +
  'idle_expires_at, absolute_expires_at, authenticated_at, rotated_at, generation, ended_at, ' +
  'end_reason, purge_after';

const TIME_COLUMNS = new Set([
  'last_ip_at',
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
 * The select list of a session: a single json array column. Validation reads a session on every
 * request, and node-postgres spends per column of a result (a parser each, a property each on
 * every row object, hex decoding for bytea, date parsing for timestamptz): with 17 columns that
 * was most of what the guard cost over a three-column lookup (see BENCHMARKS.md). One json value
 * is one native JSON.parse, and epoch milliseconds turn into Dates for almost nothing.
 */
export function sessionSelect(alias?: string): string {
  const prefix = alias ? `${alias}.` : '';
  const values = SESSION_COLUMNS.split(', ').map((column) => {
    if (TIME_COLUMNS.has(column)) return `(extract(epoch from ${prefix}${column}) * 1000)::int8`;
    // Explicit hex, whatever the server's bytea_output.
    if (column === 'token_hash') return `encode(${prefix}${column}, 'hex')`;
    return `${prefix}${column}`;
  });
  return `json_build_array(${values.join(', ')}) AS session`;
}

export const SESSION_SELECT = sessionSelect();

/**
 * A session is live in SQL when this holds; `$N` is the current time. It restates `isLive` of
 * policy/session.policy.ts, and the store conformance suite holds it to that rule at the edges.
 */
export const live = (n: number): string =>
  `ended_at IS NULL AND idle_expires_at > $${n} AND absolute_expires_at > $${n}`;

export function sessionValues(r: SessionRecord): unknown[] {
  return [
    r.id,
    r.tokenHash,
    r.userId,
    r.csrfToken,
    JSON.stringify(r.data),
    r.ip,
    r.userAgent,
    r.boundKey,
    r.lastIp,
    r.lastIpAt,
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

/**
 * `tokenHash`: the Buffer of the hash the row was selected by (`WHERE token_hash = $1`), used as
 * the record's instead of decoding a copy of the stored one (validation runs on every request).
 */
export function toSessionRecord(row: SessionRow, tokenHash?: Buffer): SessionRecord {
  const session = typeof row.session === 'string' ? parseTuple(row.session) : row.session;
  const [
    id,
    tokenHashHex,
    userId,
    csrfToken,
    data,
    ip,
    userAgent,
    boundKey,
    lastIp,
    lastIpAt,
    createdAt,
    lastSeenAt,
    idleExpiresAt,
    absoluteExpiresAt,
    authenticatedAt,
    rotatedAt,
    generation,
    endedAt,
    endReason,
    purgeAfter,
  ] = session;
  return {
    id,
    tokenHash: tokenHash ?? Buffer.from(tokenHashHex, 'hex'),
    userId,
    csrfToken,
    data,
    ip,
    userAgent,
    boundKey,
    lastIp,
    lastIpAt: lastIpAt === null ? null : new Date(lastIpAt),
    createdAt: new Date(createdAt),
    lastSeenAt: new Date(lastSeenAt),
    idleExpiresAt: new Date(idleExpiresAt),
    absoluteExpiresAt: new Date(absoluteExpiresAt),
    authenticatedAt: new Date(authenticatedAt),
    rotatedAt: new Date(rotatedAt),
    generation,
    endedAt: endedAt === null ? null : new Date(endedAt),
    endReason: endReason as SessionEndReason | null,
    purgeAfter: new Date(purgeAfter),
  };
}

export function toSessionRecords(rows: SessionRow[]): SessionRecord[] {
  return rows.map((row) => toSessionRecord(row));
}

function parseTuple(text: string): SessionTuple {
  return JSON.parse(text) as SessionTuple;
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
