import type { RotatedTokenRecord, SessionEndReason, SessionRecord } from '../session.record';

/**
 * Shortest TTL any key gets. A record whose `purgeAfter` has already passed by the caller's
 * clock must still be readable for a moment (the caller may be about to report it ended), and
 * PEXPIRE with 0 or less would delete it on the spot.
 */
export const MIN_TTL_MS = 1000;

/**
 * Milliseconds a key must live: from the caller's `now` to `until`, at least `MIN_TTL_MS`.
 * Relative on purpose: the caller's clock (an injectable `Clock`) decides expiry, not the Redis
 * server's. PEXPIREAT with absolute times would silently drop every key whenever the two clocks
 * disagree — skewed hosts, or tests running on a fixed date months away from real time.
 */
export function ttlMs(until: Date, now: Date): number {
  return Math.max(MIN_TTL_MS, until.getTime() - now.getTime());
}

/** Epoch milliseconds as the decimal string Redis and Lua compare. */
export function ms(date: Date): string {
  return String(date.getTime());
}

/**
 * A record as flat HSET field/value pairs. Nullable fields are left out when null, so that
 * "absent" reads back as null and an empty string stays an empty string.
 */
export function toHashFields(r: SessionRecord): string[] {
  const fields: [string, string | null][] = [
    ['id', r.id],
    ['userId', r.userId],
    ['tokenHash', r.tokenHash.toString('hex')],
    ['csrfToken', r.csrfToken],
    ['data', JSON.stringify(r.data)],
    ['ip', r.ip],
    ['userAgent', r.userAgent],
    ['boundKey', r.boundKey],
    ['lastIp', r.lastIp],
    ['lastIpAt', r.lastIpAt && ms(r.lastIpAt)],
    ['createdAt', ms(r.createdAt)],
    ['lastSeenAt', ms(r.lastSeenAt)],
    ['idleExpiresAt', ms(r.idleExpiresAt)],
    ['absoluteExpiresAt', ms(r.absoluteExpiresAt)],
    ['authenticatedAt', ms(r.authenticatedAt)],
    ['rotatedAt', ms(r.rotatedAt)],
    ['generation', String(r.generation)],
    ['endedAt', r.endedAt && ms(r.endedAt)],
    ['endReason', r.endReason],
    ['purgeAfter', ms(r.purgeAfter)],
  ];
  return fields.flatMap(([name, value]) => (value === null ? [] : [name, value]));
}

/** A hash as HGETALL returns it: an object from ioredis, a flat array from a Lua script. */
export type HashReply = Record<string, string> | string[];

/**
 * The record in a hash reply; null when the hash does not exist (empty reply). `tokenHash`: the
 * Buffer of the hash the caller looked up and already matched with the stored one, used as the
 * record's instead of decoding a copy (validation runs on every request).
 */
export function toSessionRecord(reply: HashReply, tokenHash?: Buffer): SessionRecord | null {
  const h = Array.isArray(reply) ? pairs(reply) : reply;
  // A hash without an id is empty (gone), or malformed: `text('id')` below says which.
  if (h.id === undefined && Object.keys(h).length === 0) return null;
  const text = (name: string): string => {
    const value = h[name];
    if (value === undefined) throw new Error(`RedisSessionStore: stored session lacks "${name}"`);
    return value;
  };
  const date = (name: string) => new Date(Number(text(name)));
  return {
    id: text('id'),
    userId: text('userId'),
    tokenHash: tokenHash ?? Buffer.from(text('tokenHash'), 'hex'),
    csrfToken: text('csrfToken'),
    data: JSON.parse(text('data')) as Record<string, unknown>,
    ip: h.ip ?? null,
    userAgent: h.userAgent ?? null,
    boundKey: h.boundKey ?? null,
    lastIp: h.lastIp ?? null,
    lastIpAt: h.lastIpAt === undefined ? null : date('lastIpAt'),
    createdAt: date('createdAt'),
    lastSeenAt: date('lastSeenAt'),
    idleExpiresAt: date('idleExpiresAt'),
    absoluteExpiresAt: date('absoluteExpiresAt'),
    authenticatedAt: date('authenticatedAt'),
    rotatedAt: date('rotatedAt'),
    generation: Number(text('generation')),
    endedAt: h.endedAt === undefined ? null : date('endedAt'),
    endReason: (h.endReason ?? null) as SessionEndReason | null,
    purgeAfter: date('purgeAfter'),
  };
}

/** The tombstone in a hash reply (written by the rotate script); null when it does not exist. */
export function toRotatedTokenRecord(
  tokenHash: Buffer,
  h: Record<string, string>,
): RotatedTokenRecord | null {
  if (h.sessionId === undefined || h.userId === undefined || h.purgeAfter === undefined) {
    return null;
  }
  return {
    tokenHash,
    sessionId: h.sessionId,
    userId: h.userId,
    graceUntil: h.graceUntil === undefined ? null : new Date(Number(h.graceUntil)),
    purgeAfter: new Date(Number(h.purgeAfter)),
  };
}

function pairs(flat: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) out[flat[i]] = flat[i + 1];
  return out;
}
