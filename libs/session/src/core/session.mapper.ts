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

/** Bounds what the client controls before it is stored or emitted. */
export function normalizeContext(context: SessionContext): Required<SessionContext> {
  return {
    ip: context.ip ? context.ip.slice(0, MAX_IP) : null,
    userAgent: context.userAgent ? context.userAgent.slice(0, MAX_USER_AGENT) : null,
  };
}
