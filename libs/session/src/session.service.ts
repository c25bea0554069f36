import { randomBytes, randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { Clock } from './clock/clock';
import {
  SessionLimitReachedException,
  SessionUnauthorizedException,
} from './errors/session.exceptions';
import {
  SessionCreatedEvent,
  SessionExpiredEvent,
  SessionLimitReachedEvent,
  SessionRenewedEvent,
  SessionReplayDetectedEvent,
  SessionRevokedEvent,
  SessionRotatedEvent,
} from './events/session-event.payloads';
import { SessionEventPublisher } from './events/session-event.publisher';
import { EventThrottle } from './security/event-throttle';
import { SessionAnomalyDetector } from './security/session-anomaly.detector';
import { SessionValidationCache } from './cache/session-validation.cache';
import type { IssuedSession, Session, SessionContext } from './interfaces/session.interface';
import type { ResolvedSessionOptions } from './options/resolved-session-options';
import { SESSION_RESOLVED_OPTIONS } from './session.constants';
import { normalizeContext, toSession } from './session.mapper';
import type {
  SessionExpiryReason,
  SessionLimitRule,
  SessionRecord,
  SessionRevokeReason,
} from './store/session-record';
import { isLive } from './store/session-liveness';
import { SessionStore } from './store/session-store';
import { generateSessionToken, hashSessionToken, isWellFormedToken } from './token/session-token';

/** Why a presented token did not authenticate. */
export type SessionFailure = 'missing' | 'invalid' | 'expired' | 'revoked' | 'replay';

export type SessionValidation =
  /** `token` is set when the session was rotated by `rotationInterval`: send it to the client. */
  { ok: true; session: Session; token?: string } | { ok: false; failure: SessionFailure };

interface Client {
  ip: string | null;
  userAgent: string | null;
}

/**
 * The session lifecycle: create, validate (with sliding renewal), rotate, revoke, list.
 *
 * @example
 * const { session, token } = await sessions.create(user.id, getSessionContext(req));
 */
@Injectable()
export class SessionService {
  /** Replays of one session are reported once a minute at most: a replay loop can't flood audit. */
  private readonly replayThrottle = new EventThrottle(60_000);

  constructor(
    @Inject(SESSION_RESOLVED_OPTIONS) private readonly options: ResolvedSessionOptions,
    private readonly store: SessionStore,
    private readonly clock: Clock,
    private readonly events: SessionEventPublisher,
    private readonly anomalies: SessionAnomalyDetector,
    private readonly cache: SessionValidationCache,
  ) {}

  /**
   * Starts a new session with a fresh token — never reuses one the client sent (fixation).
   * Enforces `maxSessionsPerUser` atomically; throws `SessionLimitReachedException` under `reject`.
   */
  async create(
    userId: string,
    context: SessionContext,
    data: Record<string, unknown> = {},
  ): Promise<IssuedSession> {
    if (typeof userId !== 'string' || userId === '') {
      throw new TypeError('SessionService.create: userId must be a non-empty string');
    }
    const now = this.clock.now();
    const client = normalizeContext(context);
    const token = generateSessionToken();
    const absoluteExpiresAt = this.after(now, this.options.absoluteTimeoutMs);
    const record: SessionRecord = {
      id: randomUUID(),
      userId,
      tokenHash: hashSessionToken(token),
      csrfToken: generateCsrfToken(),
      data,
      ...client,
      createdAt: now,
      lastSeenAt: now,
      idleExpiresAt: this.after(now, this.options.idleTimeoutMs),
      absoluteExpiresAt,
      authenticatedAt: now,
      rotatedAt: now,
      generation: 0,
      endedAt: null,
      endReason: null,
      purgeAfter: this.purgeAfter(absoluteExpiresAt),
    };
    const limit = await this.limitFor(userId);
    const result = await this.store.create(record, {
      limit,
      now,
      evictedPurgeAfter: this.purgeAfter(now),
    });
    const fields = { sessionId: record.id, userId, ...client, at: now };
    if (!result.created) {
      this.events.publish(
        new SessionLimitReachedEvent(
          { ...fields, sessionId: null, reason: 'reject' },
          'reject',
          limit?.max ?? 0,
          [],
        ),
      );
      throw new SessionLimitReachedException();
    }
    this.cache.invalidate(result.evicted.map((victim) => victim.id));
    for (const victim of result.evicted) {
      this.events.publish(
        new SessionRevokedEvent({ ...this.fieldsOf(victim, now), reason: 'limit' }),
      );
    }
    if (limit && result.evicted.length > 0) {
      this.events.publish(
        new SessionLimitReachedEvent(
          { ...fields, reason: limit.strategy },
          limit.strategy,
          limit.max,
          result.evicted.map((v) => v.id),
        ),
      );
    }
    this.events.publish(new SessionCreatedEvent(fields));
    if (await this.anomalies.inspectNewSession(record, now)) {
      await this.end(record, 'anomaly', now);
      throw new SessionUnauthorizedException();
    }
    return { session: toSession(record), token };
  }

  /** The session a token belongs to, if it is live; renews it at most once per `touchInterval`. */
  async validate(token: string, context: SessionContext): Promise<Session | null> {
    const result = await this.authenticate(token, context);
    return result.ok ? result.session : null;
  }

  /**
   * Like `validate`, with the reason of a failure (for guards, metrics and logs). With
   * `allowRotation` (cookie requests), a session due for `rotationInterval` gets a new token,
   * returned as `token`.
   */
  async authenticate(
    token: string | undefined,
    context: SessionContext,
    { allowRotation = false }: { allowRotation?: boolean } = {},
  ): Promise<SessionValidation> {
    if (!token) return { ok: false, failure: 'missing' };
    // Malformed tokens are refused before hashing or touching the store.
    if (!isWellFormedToken(token)) return { ok: false, failure: 'invalid' };
    const hash = hashSessionToken(token);
    const client = normalizeContext(context);
    const now = this.clock.now();
    const key = hash.toString('base64');
    const record = await this.lookup(hash, key, now);
    if (!record) return this.fromRotatedToken(hash, client, now);
    if (record.endedAt !== null) {
      if (record.endReason === 'idle' || record.endReason === 'absolute') {
        return { ok: false, failure: 'expired' };
      }
      this.reportReplay(record.id, record.userId, client, now, record.endReason ?? 'revoked');
      return { ok: false, failure: 'revoked' };
    }
    const expiry = this.expiryOf(record, now);
    if (expiry) {
      await this.end(record, expiry, now);
      return { ok: false, failure: 'expired' };
    }
    return this.admit(record, client, now, allowRotation, key);
  }

  /**
   * Issues a new token for the same logical session; the old one stops working at once.
   * Use after login, password change, re-authentication or any privilege change.
   * Returns null when the session is not live.
   */
  async rotate(
    sessionId: string,
    context: SessionContext,
    options: { reauthenticated?: boolean } = {},
  ): Promise<IssuedSession | null> {
    return this.issueRotation(sessionId, normalizeContext(context), this.clock.now(), {
      graceUntil: null,
      reauthenticated: options.reauthenticated ?? false,
    });
  }

  /** Ends one session. Returns false when it was not live. */
  async revoke(sessionId: string, reason: SessionRevokeReason): Promise<boolean> {
    const now = this.clock.now();
    const ended = await this.store.end(sessionId, {
      reason,
      now,
      purgeAfter: this.purgeAfter(now),
    });
    if (ended) {
      this.cache.invalidate([ended.id]);
      this.events.publish(new SessionRevokedEvent({ ...this.fieldsOf(ended, now), reason }));
    }
    return ended !== null;
  }

  /** Ends every live session of a user, optionally but one; returns how many ended. */
  async revokeAllForUser(
    userId: string,
    options: { exceptSessionId?: string; reason: SessionRevokeReason },
  ): Promise<number> {
    const now = this.clock.now();
    const ended = await this.store.endAllForUser(userId, {
      reason: options.reason,
      now,
      purgeAfter: this.purgeAfter(now),
      exceptId: options.exceptSessionId,
    });
    this.cache.invalidate(ended.map((record) => record.id));
    for (const record of ended) {
      this.events.publish(
        new SessionRevokedEvent({ ...this.fieldsOf(record, now), reason: options.reason }),
      );
    }
    return ended.length;
  }

  /** Ends every live session of every user (the admin kill switch); returns how many. */
  async revokeAll(reason: SessionRevokeReason = 'admin'): Promise<number> {
    const now = this.clock.now();
    const count = await this.store.endAll({ reason, now, purgeAfter: this.purgeAfter(now) });
    this.cache.invalidate('all');
    return count;
  }

  /** The user's live sessions, newest first. */
  async listActive(userId: string): Promise<Session[]> {
    return (await this.store.listActive(userId, this.clock.now())).map(toSession);
  }

  async countActive(userId: string): Promise<number> {
    return this.store.countActive(userId, this.clock.now());
  }

  /** A live session by its public id, or null. */
  async findById(sessionId: string): Promise<Session | null> {
    const record = await this.store.findById(sessionId);
    return record && isLive(record, this.clock.now()) ? toSession(record) : null;
  }

  /** Replaces the application data of a live session; null when it is not live. */
  async updateData(sessionId: string, data: Record<string, unknown>): Promise<Session | null> {
    const record = await this.store.updateData(sessionId, data, this.clock.now());
    if (record) this.cache.invalidate([record.id]);
    return record ? toSession(record) : null;
  }

  /** A live, unexpired session: anomaly checks, sliding renewal, periodic rotation. */
  private async admit(
    record: SessionRecord,
    client: Client,
    now: Date,
    allowRotation: boolean,
    cacheKey?: string,
  ): Promise<SessionValidation> {
    if (await this.anomalies.inspect(record, client, now)) {
      await this.end(record, 'anomaly', now);
      return { ok: false, failure: 'revoked' };
    }
    const renewed = await this.renew(record, now, cacheKey);
    const due =
      allowRotation &&
      this.options.rotationIntervalMs > 0 &&
      now.getTime() - renewed.rotatedAt.getTime() >= this.options.rotationIntervalMs;
    if (due) {
      // Only one of several parallel requests wins the rotation (generation check); the others
      // carry on with the old token, which stays valid for rotationGrace.
      const issued = await this.issueRotation(record.id, client, now, {
        graceUntil: this.after(now, this.options.rotationGraceMs),
        reauthenticated: false,
        expectedGeneration: record.generation,
      });
      if (issued) return { ok: true, ...issued };
    }
    return { ok: true, session: toSession(renewed) };
  }

  /** A token that is no session's current one: within its grace period, or a replay. */
  private async fromRotatedToken(
    hash: Buffer,
    client: Client,
    now: Date,
  ): Promise<SessionValidation> {
    const rotated = await this.store.findRotatedToken(hash);
    if (!rotated) return { ok: false, failure: 'invalid' };
    if (rotated.graceUntil && rotated.graceUntil > now) {
      const record = await this.store.findById(rotated.sessionId);
      if (record && isLive(record, now)) return this.admit(record, client, now, false);
    }
    this.reportReplay(rotated.sessionId, rotated.userId, client, now, 'rotated');
    // A rotated token coming back after its grace is the signature of a stolen token.
    if (this.options.onReplay === 'revoke-user-sessions') {
      await this.revokeAllForUser(rotated.userId, { reason: 'replay' });
    }
    return { ok: false, failure: 'replay' };
  }

  private async issueRotation(
    sessionId: string,
    client: Client,
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
    this.events.publish(
      new SessionRotatedEvent({
        ...this.fieldsOf(record, now, client),
        reason: params.reauthenticated ? 'reauthenticated' : null,
      }),
    );
    return { session: toSession(record), token };
  }

  private reportReplay(
    sessionId: string,
    userId: string,
    client: Client,
    now: Date,
    reason: string,
  ): void {
    if (!this.replayThrottle.shouldReport(sessionId, now.getTime())) return;
    this.events.publish(
      new SessionReplayDetectedEvent({ sessionId, userId, ...client, at: now, reason }),
    );
  }

  /**
   * The session of a token hash: from the validation cache when enabled, else the store. A cached
   * copy that looks expired is re-read, since another instance may have renewed it meanwhile.
   */
  private async lookup(hash: Buffer, key: string, now: Date): Promise<SessionRecord | null> {
    const cached = this.cache.get(key, now);
    if (cached && !this.expiryOf(cached, now)) return cached;
    const ticket = this.cache.ticket();
    const record = await this.store.findByTokenHash(hash);
    if (record && record.endedAt === null && !this.expiryOf(record, now)) {
      this.cache.remember(key, record, ticket, now);
    }
    return record;
  }

  private async renew(record: SessionRecord, now: Date, cacheKey?: string): Promise<SessionRecord> {
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
      // Someone else renewed it (or ended it): drop our copy so the next request reads the store.
      if (cacheKey) this.cache.invalidate([record.id]);
      return record;
    }
    this.events.publish(new SessionRenewedEvent(this.fieldsOf(record, now)));
    const renewed = { ...record, lastSeenAt: now, idleExpiresAt };
    if (cacheKey) this.cache.refresh(cacheKey, renewed);
    return renewed;
  }

  private expiryOf(record: SessionRecord, now: Date): SessionExpiryReason | null {
    if (record.absoluteExpiresAt <= now) return 'absolute';
    if (record.idleExpiresAt <= now) return 'idle';
    return null;
  }

  /** Ends a session found during validation; only the request whose write ends it emits. */
  private async end(
    record: SessionRecord,
    reason: SessionExpiryReason | 'anomaly',
    now: Date,
  ): Promise<void> {
    const ended = await this.store.end(record.id, {
      reason,
      now,
      purgeAfter: this.purgeAfter(now),
    });
    if (!ended) return;
    this.cache.invalidate([ended.id]);
    const fields = { ...this.fieldsOf(ended, now), reason };
    this.events.publish(
      reason === 'anomaly' ? new SessionRevokedEvent(fields) : new SessionExpiredEvent(fields),
    );
  }

  private async limitFor(userId: string): Promise<SessionLimitRule | undefined> {
    const max = this.options.maxSessionsPerUser;
    if (max === undefined) return undefined;
    const value = typeof max === 'function' ? await max(userId) : max;
    if (!Number.isInteger(value) || value < 1) {
      throw new Error(
        `maxSessionsPerUser(${userId}) returned ${String(value)}; expected a positive integer`,
      );
    }
    return { max: value, strategy: this.options.limitStrategy };
  }

  private fieldsOf(record: SessionRecord, now: Date, client?: Client) {
    return {
      sessionId: record.id,
      userId: record.userId,
      ...(client ?? { ip: record.ip, userAgent: record.userAgent }),
      at: now,
    };
  }

  /** Ended sessions and rotated tokens are kept as hashes this long, to recognise replays. */
  private purgeAfter(from: Date): Date {
    return this.after(from, this.options.tombstoneRetentionMs);
  }

  private after(date: Date, ms: number): Date {
    return new Date(date.getTime() + ms);
  }
}

/** The per-session CSRF token: random, unrelated to the session token, replaced on rotation. */
function generateCsrfToken(): string {
  return randomBytes(32).toString('base64url');
}
