import { Injectable, Logger } from '@nestjs/common';
import { SessionValidationCache } from '../cache/session-validation.cache';
import {
  SessionCreatedEvent,
  SessionExpiredEvent,
  SessionLimitReachedEvent,
  SessionRenewedEvent,
  SessionRevokedEvent,
  SessionRotatedEvent,
} from '../events/session-event.payloads';
import { SessionEventPublisher } from '../events/session-event.publisher';
import { SessionPolicy } from '../policy/session.policy';
import type { IssuedSession, SessionContext } from '../session.interface';
import { generateCsrfToken } from '../token/csrf-token';
import { toSession } from './session.mapper';
import type {
  CreateSessionResult,
  SessionEndReason,
  SessionLimitRule,
  SessionRecord,
  SessionRevokeReason,
} from '../store/session.record';
import { SessionStore } from '../store/session.store';
import { generateSessionToken, hashSessionToken } from '../token/session-token';

/** The client a change is attributed to in events. */
type Client = Required<SessionContext>;

/**
 * Every change to stored sessions goes through here, so each one does the same three things:
 * a conditional store write, cache eviction (here and, broadcast, on every instance), and the
 * event. Internal to the library.
 */
@Injectable()
export class SessionWriter {
  private readonly logger = new Logger('SessionEvents');

  constructor(
    private readonly policy: SessionPolicy,
    private readonly store: SessionStore,
    private readonly events: SessionEventPublisher,
    private readonly cache: SessionValidationCache,
  ) {}

  /** Inserts a new session under the user's limit; reports evictions and refusals. */
  async insert(
    record: SessionRecord,
    params: { limit: SessionLimitRule | undefined; authenticatedSince: Date },
    client: Client,
    now: Date,
  ): Promise<CreateSessionResult> {
    const { limit, authenticatedSince } = params;
    const result = await this.store.create(record, {
      limit,
      now,
      evictedPurgeAfter: this.policy.retainUntil(now),
      authenticatedSince,
    });
    const fields = { sessionId: record.id, userId: record.userId, ...client, at: now };
    if (!result.created && result.reason === 'revoked') return result;
    if (!result.created) {
      const refused = { ...fields, sessionId: null, reason: 'reject' };
      this.events.publish(new SessionLimitReachedEvent(refused, 'reject', limit?.max ?? 0, []));
      return result;
    }
    this.evicted(result.evicted, 'limit', now);
    if (limit && result.evicted.length > 0) {
      const ids = result.evicted.map((victim) => victim.id);
      this.events.publish(
        new SessionLimitReachedEvent(
          { ...fields, reason: limit.strategy },
          limit.strategy,
          limit.max,
          ids,
        ),
      );
    }
    this.events.publish(new SessionCreatedEvent(fields));
    return result;
  }

  /** A new token (and CSRF token) for a live session; the old hash becomes a tombstone. */
  async rotate(
    sessionId: string,
    client: Client,
    now: Date,
    params: {
      graceUntil: Date | null;
      reauthenticated: boolean;
      expectedGeneration?: number;
      /** Keep this CSRF token (a DBSC refresh renews the cookie, not the page's token). */
      csrfToken?: string;
    },
  ): Promise<IssuedSession | null> {
    const token = generateSessionToken();
    const { csrfToken, ...rotation } = params;
    const record = await this.store.rotate(sessionId, {
      newTokenHash: hashSessionToken(token),
      newCsrfToken: csrfToken ?? generateCsrfToken(),
      now,
      purgeAfter: this.policy.retainUntil(now),
      ...rotation,
    });
    if (!record) return null;
    this.cache.invalidate([record.id]);
    const reason = params.reauthenticated ? 'reauthenticated' : null;
    this.events.publish(new SessionRotatedEvent({ ...fieldsOf(record, now, client), reason }));
    return { session: toSession(record), token };
  }

  /** Ends one session (see `SessionStore.end`); only the caller whose write ends it reports it. */
  async end(sessionId: string, reason: SessionEndReason, now: Date): Promise<SessionRecord | null> {
    const ended = await this.store.end(sessionId, {
      reason,
      now,
      purgeAfter: this.policy.retainUntil(now),
    });
    if (ended) this.evicted([ended], reason, now);
    return ended;
  }

  async endAllForUser(
    userId: string,
    reason: SessionRevokeReason,
    now: Date,
    exceptId?: string,
  ): Promise<SessionRecord[]> {
    // The watermark makes the revocation hold against logins already under way: a session whose
    // authentication began before now can no longer be created (see SessionService.create).
    const ended = await this.store.endAllForUser(userId, {
      reason,
      now,
      purgeAfter: this.policy.retainUntil(now),
      exceptId,
      watermark: now,
    });
    this.evicted(ended, reason, now);
    return ended;
  }

  /**
   * The kill switch. It may end millions of sessions in one statement, so it reports one log line
   * rather than one event per session.
   */
  async endAll(reason: SessionRevokeReason, now: Date): Promise<number> {
    const count = await this.store.endAll({
      reason,
      now,
      purgeAfter: this.policy.retainUntil(now),
    });
    this.cache.invalidate('all');
    this.logger.warn(JSON.stringify({ event: 'session.revoked_all', reason, count, at: now }));
    return count;
  }

  /** Evicts every live session of a user from the validation caches (see `invalidateUser`). */
  async invalidateUser(userId: string, now: Date): Promise<void> {
    if (!this.cache.configured) return;
    const sessions = await this.store.listActive(userId, now);
    this.cache.invalidate(sessions.map((session) => session.id));
  }

  /** Binds the session to a key (DBSC registration); the cached copy goes, on every instance. */
  async bindKey(sessionId: string, boundKey: string, now: Date): Promise<SessionRecord | null> {
    const record = await this.store.bindKey(sessionId, boundKey, now);
    if (record) this.cache.invalidate([record.id]);
    return record;
  }

  async updateData(
    sessionId: string,
    data: Record<string, unknown>,
    now: Date,
  ): Promise<SessionRecord | null> {
    const record = await this.store.updateData(sessionId, data, now);
    if (record) this.cache.invalidate([record.id]);
    return record;
  }

  /**
   * Sliding renewal (the caller checked `SessionPolicy.isRenewalDue`): moves the idle expiry
   * forward, never past the absolute one. The store writes only if nobody renewed it since, so of
   * a burst of requests one writes. Returns the record as it now stands.
   */
  async renew(record: SessionRecord, now: Date, cacheKey?: string): Promise<SessionRecord> {
    const renewal = this.policy.renewal(record, now);
    const touched = await this.store.touch(record.id, { ...renewal, now });
    if (!touched) {
      // Someone else renewed (or ended) it: drop our copy so the next request reads the store.
      if (cacheKey) this.cache.invalidate([record.id]);
      return record;
    }
    this.events.publish(new SessionRenewedEvent(fieldsOf(record, now)));
    const renewed = {
      ...record,
      lastSeenAt: renewal.lastSeenAt,
      idleExpiresAt: renewal.idleExpiresAt,
    };
    if (cacheKey) this.cache.refresh(cacheKey, renewed);
    return renewed;
  }

  private evicted(records: SessionRecord[], reason: SessionEndReason, now: Date): void {
    this.cache.invalidate(records.map((record) => record.id));
    for (const record of records) {
      const fields = { ...fieldsOf(record, now), reason };
      this.events.publish(
        reason === 'idle' || reason === 'absolute'
          ? new SessionExpiredEvent(fields)
          : new SessionRevokedEvent(fields),
      );
    }
  }
}

/** Event fields of a session; the client defaults to the one the session was created by. */
export function fieldsOf(record: SessionRecord, now: Date, client?: Client) {
  return {
    sessionId: record.id,
    userId: record.userId,
    ...(client ?? { ip: record.ip, userAgent: record.userAgent }),
    at: now,
  };
}
