import { Inject, Injectable } from '@nestjs/common';
import { SessionValidationCache } from '../cache/session-validation.cache';
import { Clock } from '../clock/clock';
import { SessionReplayDetectedEvent } from '../events/session-event.payloads';
import { SessionEventPublisher } from '../events/session-event.publisher';
import { SessionMetrics } from '../metrics/session.metrics';
import type { Session, SessionContext } from '../session.interface';
import type { ResolvedSessionOptions } from '../options/resolved-session-options';
import { EventThrottle } from '../security/event.throttle';
import { SessionAnomalyDetector } from '../security/session-anomaly.detector';
import { SESSION_RESOLVED_OPTIONS } from '../session.constants';
import { normalizeContext, toSession } from './session.mapper';
import { type EventClient, SessionWriter } from './session.writer';
import type { SessionExpiryReason, SessionRecord } from '../store/session.record';
import { isLive } from '../policy/session.policy';
import { SessionStore } from '../store/session.store';
import {
  hashSessionToken,
  isWellFormedToken,
  sessionTokenKey,
  tokenHashOfKey,
} from '../token/session-token';

/** Why a presented token did not authenticate. */
export type SessionFailure = 'missing' | 'invalid' | 'expired' | 'revoked' | 'replay';

export type SessionValidation =
  /** `token` is set when the session was rotated by `rotationInterval`: send it to the client. */
  { ok: true; session: Session; token?: string } | { ok: false; failure: SessionFailure };

/**
 * The per-request path: token → live session. One indexed read (or a cache hit) in the common
 * case; writes only when renewal is due, a session is found expired, or an anomaly demands it.
 * Internal to the library; `SessionService.authenticate` is the public door.
 */
@Injectable()
export class SessionValidator {
  /** Replays of one session are reported once a minute at most: a replay loop can't flood audit. */
  private readonly replayThrottle = new EventThrottle(60_000);

  constructor(
    @Inject(SESSION_RESOLVED_OPTIONS) private readonly options: ResolvedSessionOptions,
    private readonly store: SessionStore,
    private readonly clock: Clock,
    private readonly events: SessionEventPublisher,
    private readonly anomalies: SessionAnomalyDetector,
    private readonly cache: SessionValidationCache,
    private readonly writer: SessionWriter,
    private readonly metrics: SessionMetrics,
  ) {}

  async authenticate(
    token: string | undefined,
    context: SessionContext,
    allowRotation: boolean,
  ): Promise<SessionValidation> {
    if (!token) return { ok: false, failure: 'missing' };
    // Malformed tokens are refused before hashing or touching the store.
    if (!isWellFormedToken(token)) return { ok: false, failure: 'invalid' };
    // With the cache on, its key (the base64 digest) comes first, so a hit allocates no Buffer.
    const key = this.cache.configured ? sessionTokenKey(token) : undefined;
    const client = normalizeContext(context);
    const now = this.clock.now();
    // A cache hit stays synchronous: no promise, no turn of the microtask queue.
    let record = key === undefined ? undefined : this.fromCache(key, now);
    if (!record) {
      const hash = key === undefined ? hashSessionToken(token) : tokenHashOfKey(key);
      const stored = await this.load(hash, key, now);
      if (!stored) return this.fromRotatedToken(hash, client, now);
      record = stored;
    }
    if (record.endedAt !== null) {
      if (record.endReason === 'idle' || record.endReason === 'absolute') {
        return { ok: false, failure: 'expired' };
      }
      this.reportReplay(record.id, record.userId, client, now, record.endReason ?? 'revoked');
      return { ok: false, failure: 'revoked' };
    }
    const expiry = expiryOf(record, now);
    if (expiry) {
      await this.writer.end(record.id, expiry, now);
      return { ok: false, failure: 'expired' };
    }
    return this.admit(record, client, now, allowRotation, key);
  }

  /**
   * The session of a token hash from the validation cache (when enabled). A cached copy that
   * looks expired is not used: another instance may have renewed it meanwhile, so it is re-read.
   */
  private fromCache(key: string, now: Date): SessionRecord | undefined {
    const cached = this.cache.get(key, now);
    if (!cached || expiryOf(cached, now)) return undefined;
    this.metrics.recordCacheHit();
    return cached;
  }

  /** The session of a token hash from the store; a live one is remembered by the cache. */
  private async load(
    hash: Buffer,
    key: string | undefined,
    now: Date,
  ): Promise<SessionRecord | null> {
    const ticket = this.cache.ticket();
    const record = await this.store.findByTokenHash(hash);
    if (key !== undefined && record && record.endedAt === null && !expiryOf(record, now)) {
      this.cache.remember(key, record, ticket, now);
    }
    return record;
  }

  /**
   * A live, unexpired session. The common case — same client, neither renewal nor rotation due —
   * answers synchronously: each await on the per-request path costs a promise and a turn of the
   * microtask queue.
   */
  private admit(
    record: SessionRecord,
    client: EventClient,
    now: Date,
    allowRotation: boolean,
    cacheKey?: string,
  ): SessionValidation | Promise<SessionValidation> {
    if (
      this.anomalies.differs(record, client) ||
      this.writer.isRenewalDue(record, now) ||
      (allowRotation && this.isRotationDue(record, now))
    ) {
      return this.admitWithWork(record, client, now, allowRotation, cacheKey);
    }
    return { ok: true, session: toSession(record) };
  }

  /** Anomaly checks, sliding renewal and periodic rotation, as far as each is due. */
  private async admitWithWork(
    record: SessionRecord,
    client: EventClient,
    now: Date,
    allowRotation: boolean,
    cacheKey?: string,
  ): Promise<SessionValidation> {
    if (
      this.anomalies.differs(record, client) &&
      (await this.anomalies.inspect(record, client, now))
    ) {
      await this.writer.end(record.id, 'anomaly', now);
      return { ok: false, failure: 'revoked' };
    }
    const renewed = this.writer.isRenewalDue(record, now)
      ? await this.writer.renew(record, now, cacheKey)
      : record;
    if (allowRotation && this.isRotationDue(renewed, now)) {
      // Only one of several parallel requests wins the rotation (generation check); the others
      // carry on with the old token, which stays valid for rotationGrace.
      const issued = await this.writer.rotate(record.id, client, now, {
        graceUntil: new Date(now.getTime() + this.options.rotationGraceMs),
        reauthenticated: false,
        expectedGeneration: record.generation,
      });
      if (issued) return { ok: true, ...issued };
    }
    return { ok: true, session: toSession(renewed) };
  }

  private isRotationDue(record: SessionRecord, now: Date): boolean {
    const interval = this.options.rotationIntervalMs;
    return interval > 0 && now.getTime() - record.rotatedAt.getTime() >= interval;
  }

  /** A token that is no session's current one: within its grace period, or a replay. */
  private async fromRotatedToken(
    hash: Buffer,
    client: EventClient,
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
      await this.writer.endAllForUser(rotated.userId, 'replay', now);
    }
    return { ok: false, failure: 'replay' };
  }

  private reportReplay(
    sessionId: string,
    userId: string,
    client: EventClient,
    now: Date,
    reason: string,
  ): void {
    if (!this.replayThrottle.shouldReport(sessionId, now.getTime())) return;
    this.events.publish(
      new SessionReplayDetectedEvent({ sessionId, userId, ...client, at: now, reason }),
    );
  }
}

function expiryOf(record: SessionRecord, now: Date): SessionExpiryReason | null {
  if (record.absoluteExpiresAt <= now) return 'absolute';
  if (record.idleExpiresAt <= now) return 'idle';
  return null;
}
