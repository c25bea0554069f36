import type { ResolvedSessionOptions } from '../options/resolved-session-options.interface';
import type { SessionExpiryReason, SessionRecord } from '../store/session.record';

/**
 * The rules of time, in one place: when a session starts and stops being live, when it is renewed
 * or rotated, how long its tombstone is kept and which sessions a limit evicts.
 *
 * Stores that must restate a rule in their own language (the PostgreSQL store's SQL, the Redis
 * store's Lua) are held to these functions by the store conformance suite, on the edge cases:
 * exactly at expiry and one millisecond on either side.
 */

/** The times that decide liveness. */
export type SessionTimes = Pick<SessionRecord, 'idleExpiresAt' | 'absoluteExpiresAt'>;

/**
 * Why a session is over by itself at `now`, or null. An expiry instant belongs to the expired side:
 * a session whose `idleExpiresAt` equals `now` is no longer live. Absolute expiry wins over idle.
 */
export function expiryOf(times: SessionTimes, now: Date): SessionExpiryReason | null {
  const t = now.getTime();
  if (times.absoluteExpiresAt.getTime() <= t) return 'absolute';
  if (times.idleExpiresAt.getTime() <= t) return 'idle';
  return null;
}

/** A session is live while it has not ended and neither expiry has passed. */
export function isLive(record: SessionTimes & Pick<SessionRecord, 'endedAt'>, now: Date): boolean {
  return record.endedAt === null && expiryOf(record, now) === null;
}

/**
 * Which live sessions a limit ends so that one more fits: the earliest created (`evict-oldest`) or
 * the least recently active (`evict-least-recent`), ties broken by id so every store picks the same.
 */
export function pickEvictions(
  live: SessionRecord[],
  max: number,
  strategy: 'evict-oldest' | 'evict-least-recent',
): SessionRecord[] {
  const excess = live.length - max + 1;
  if (excess <= 0) return [];
  const key = strategy === 'evict-oldest' ? 'createdAt' : 'lastSeenAt';
  return [...live]
    .sort((a, b) => a[key].getTime() - b[key].getTime() || a.id.localeCompare(b.id))
    .slice(0, excess);
}

/** The times of a renewal write (see `SessionStore.touch`). */
export interface SessionRenewal {
  lastSeenAt: Date;
  idleExpiresAt: Date;
  /** The write happens only if the stored `lastSeenAt` is at or before this: one writer per burst. */
  notAfter: Date;
}

/** The rules that depend on the module's options. */
export class SessionPolicy {
  constructor(private readonly options: ResolvedSessionOptions) {}

  /** The times of a session created at `now`. */
  initialTimes(
    now: Date,
  ): Pick<SessionRecord, 'idleExpiresAt' | 'absoluteExpiresAt' | 'purgeAfter'> {
    const absoluteExpiresAt = new Date(now.getTime() + this.options.absoluteTimeoutMs);
    return {
      idleExpiresAt: new Date(now.getTime() + this.options.idleTimeoutMs),
      absoluteExpiresAt,
      purgeAfter: this.retainUntil(absoluteExpiresAt),
    };
  }

  /**
   * Sliding renewal is throttled: a session is renewed only once its last renewal is at least
   * `touchInterval` old, so a burst of reads is not a burst of writes.
   */
  isRenewalDue(record: Pick<SessionRecord, 'lastSeenAt'>, now: Date): boolean {
    return now.getTime() - record.lastSeenAt.getTime() >= this.options.touchIntervalMs;
  }

  /** The renewal write for `now`: idle expiry moves forward, never past the absolute one. */
  renewal(record: Pick<SessionRecord, 'absoluteExpiresAt'>, now: Date): SessionRenewal {
    const t = now.getTime();
    return {
      lastSeenAt: now,
      idleExpiresAt: new Date(
        Math.min(t + this.options.idleTimeoutMs, record.absoluteExpiresAt.getTime()),
      ),
      notAfter: new Date(t - this.options.touchIntervalMs),
    };
  }

  /** OWASP's renewal timeout: a token older than `rotationInterval` is replaced (0 = never). */
  isRotationDue(record: Pick<SessionRecord, 'rotatedAt'>, now: Date): boolean {
    const interval = this.options.rotationIntervalMs;
    return interval > 0 && now.getTime() - record.rotatedAt.getTime() >= interval;
  }

  /** Until when a token replaced by periodic rotation still works (parallel in-flight requests). */
  rotationGraceUntil(now: Date): Date {
    return new Date(now.getTime() + this.options.rotationGraceMs);
  }

  /** Ended sessions and replaced tokens are kept as hashes this long, to recognise replays. */
  retainUntil(from: Date): Date {
    return new Date(from.getTime() + this.options.tombstoneRetentionMs);
  }

  /** Whether a session's last authentication is within `windowMs` (`@RequireFreshSession()`). */
  isFresh(
    session: { authenticatedAt: Date },
    now: Date,
    windowMs = this.options.reauthWindowMs,
  ): boolean {
    return now.getTime() - session.authenticatedAt.getTime() <= windowMs;
  }
}
