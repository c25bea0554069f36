import { randomBytes } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
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
import type { IssuedSession } from '../session.interface';
import type { ResolvedSessionOptions } from '../options/resolved-session-options';
import { SESSION_RESOLVED_OPTIONS } from '../session.constants';
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
export interface EventClient {
  ip: string | null;
  userAgent: string | null;
}

/**
 * Every change to stored sessions goes through here, so each one does the same three things:
 * a conditional store write, cache eviction (here and, broadcast, on every instance), and the
 * event. Internal to the library.
 */
@Injectable()
export class SessionWriter {
  private readonly logger = new Logger('SessionEvents');

  constructor(
    @Inject(SESSION_RESOLVED_OPTIONS) private readonly options: ResolvedSessionOptions,
    private readonly store: SessionStore,
    private readonly events: SessionEventPublisher,
    private readonly cache: SessionValidationCache,
  ) {}

  /** Inserts a new session under the user's limit; reports evictions and refusals. */
  async insert(
    record: SessionRecord,
    limit: SessionLimitRule | undefined,
    client: EventClient,
    now: Date,
  ): Promise<CreateSessionResult> {
    const result = await this.store.create(record, {
      limit,
      now,
      evictedPurgeAfter: this.purgeAfter(now),
    });
    const fields = { sessionId: record.id, userId: record.userId, ...client, at: now };
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
    client: EventClient,
    now: Date,
    params: { graceUntil: Date | null; reauthenticated: boolean; expectedGeneration?: number },
  ): Promise<IssuedSession | null> {
    const token = generateSessionToken();
    const record = await this.store.rotate(sessionId, {
      newTokenHash: hashSessionToken(token),
      newCsrfToken: generateCsrfToken(),
      now,
      purgeAfter: this.purgeAfter(now),
      ...params,
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
      purgeAfter: this.purgeAfter(now),
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
    const ended = await this.store.endAllForUser(userId, {
      reason,
      now,
      purgeAfter: this.purgeAfter(now),
      exceptId,
    });
    this.evicted(ended, reason, now);
    return ended;
  }

  /**
   * The kill switch. It may end millions of sessions in one statement, so it reports one log line
   * rather than one event per session.
   */
  async endAll(reason: SessionRevokeReason, now: Date): Promise<number> {
    const count = await this.store.endAll({ reason, now, purgeAfter: this.purgeAfter(now) });
    this.cache.invalidate('all');
    this.logger.warn(JSON.stringify({ event: 'session.revoked_all', reason, count, at: now }));
    return count;
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
   * Sliding renewal, at most once per `touchInterval`: moves the idle expiry forward, never past
   * the absolute one. Returns the record as it now stands.
   */
  /** Whether `renew` would write: the last renewal is at least `touchInterval` old. */
  isRenewalDue(record: SessionRecord, now: Date): boolean {
    return now.getTime() - record.lastSeenAt.getTime() >= this.options.touchIntervalMs;
  }

  async renew(record: SessionRecord, now: Date, cacheKey?: string): Promise<SessionRecord> {
    const notAfter = new Date(now.getTime() - this.options.touchIntervalMs);
    if (record.lastSeenAt > notAfter) return record;
    const idleExpiresAt = new Date(
      Math.min(now.getTime() + this.options.idleTimeoutMs, record.absoluteExpiresAt.getTime()),
    );
    const touched = await this.store.touch(record.id, {
      lastSeenAt: now,
      idleExpiresAt,
      notAfter,
      now,
    });
    if (!touched) {
      // Someone else renewed (or ended) it: drop our copy so the next request reads the store.
      if (cacheKey) this.cache.invalidate([record.id]);
      return record;
    }
    this.events.publish(new SessionRenewedEvent(fieldsOf(record, now)));
    const renewed = { ...record, lastSeenAt: now, idleExpiresAt };
    if (cacheKey) this.cache.refresh(cacheKey, renewed);
    return renewed;
  }

  /** Ended sessions and rotated tokens are kept as hashes this long, to recognise replays. */
  purgeAfter(from: Date): Date {
    return new Date(from.getTime() + this.options.tombstoneRetentionMs);
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
export function fieldsOf(record: SessionRecord, now: Date, client?: EventClient) {
  return {
    sessionId: record.id,
    userId: record.userId,
    ...(client ?? { ip: record.ip, userAgent: record.userAgent }),
    at: now,
  };
}

/** The per-session CSRF token: random, unrelated to the session token, replaced on rotation. */
export function generateCsrfToken(): string {
  return randomBytes(32).toString('base64url');
}
