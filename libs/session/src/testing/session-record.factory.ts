import { randomBytes, randomUUID } from 'node:crypto';
import type { SessionRecord } from '../store/session.record';

/** A live session record starting at `now`, for store tests. */
export function makeSessionRecord(
  now: Date,
  overrides: Partial<SessionRecord> = {},
): SessionRecord {
  const at = (seconds: number) => new Date(now.getTime() + seconds * 1000);
  return {
    id: randomUUID(),
    userId: 'user-1',
    tokenHash: randomBytes(32),
    csrfToken: randomBytes(32).toString('base64url'),
    data: {},
    ip: '127.0.0.1',
    userAgent: 'jest',
    boundKey: null,
    lastIp: null,
    lastIpAt: null,
    createdAt: now,
    lastSeenAt: now,
    idleExpiresAt: at(1800),
    absoluteExpiresAt: at(86400),
    authenticatedAt: now,
    rotatedAt: now,
    generation: 0,
    endedAt: null,
    endReason: null,
    purgeAfter: at(2 * 86400),
    ...overrides,
  };
}
