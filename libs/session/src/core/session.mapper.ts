import type { Session, SessionContext } from '../session.interface';
import type { SessionRecord } from '../store/session.record';

/** The public view of a stored session: everything but the token hash and bookkeeping. */
export function toSession(record: SessionRecord): Session {
  return {
    id: record.id,
    userId: record.userId,
    data: record.data,
    ip: record.ip,
    userAgent: record.userAgent,
    boundKey: record.boundKey,
    tokenIssuedAt: record.rotatedAt,
    csrfToken: record.csrfToken,
    createdAt: record.createdAt,
    lastSeenAt: record.lastSeenAt,
    expiresAt: record.idleExpiresAt,
    absoluteExpiresAt: record.absoluteExpiresAt,
    authenticatedAt: record.authenticatedAt,
  };
}

const MAX_IP = 64;
const MAX_USER_AGENT = 512;

const COLON = 0x3a;
const IPV4_MAPPED = /^::ffff:(\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3})$/i;

/**
 * An IPv4 client as its IPv4 address: a dual-stack server (Node's default `::` listener) sees
 * `::ffff:203.0.113.7` for what a single-stack one sees as `203.0.113.7`, so without this one client
 * shows two addresses (and an ip change) depending on how the app listens. Applied where a request
 * is read (`getSessionContext`, for the app's own uses too) and where any context enters the service
 * (`normalizeContext`, for contexts built by hand): on the guard's path the second call sees a plain
 * address and stops at its first character.
 */
export function normalizeIp(ip: string): string {
  if (ip.charCodeAt(0) !== COLON) return ip;
  const mapped = IPV4_MAPPED.exec(ip);
  return mapped ? mapped[1] : ip;
}

/** Whether two stored or seen addresses are the same client address. */
export function sameIp(a: string | null, b: string | null): boolean {
  return a === b || (a !== null && b !== null && normalizeIp(a) === normalizeIp(b));
}

/** Bounds what the client controls before it is stored or emitted. */
export function normalizeContext(context: SessionContext): Required<SessionContext> {
  return {
    ip: context.ip ? normalizeIp(context.ip.slice(0, MAX_IP)) : null,
    userAgent: context.userAgent ? context.userAgent.slice(0, MAX_USER_AGENT) : null,
  };
}
