import { Inject, Injectable } from '@nestjs/common';
import type { CachedSession } from '../cache/session.cache';
import { SessionValidationCache } from '../cache/session-validation.cache';
import { Clock } from '../clock/clock';
import { SessionReplayDetectedEvent } from '../events/session-event.payloads';
import { SessionEventPublisher } from '../events/session-event.publisher';
import { SessionMetrics } from '../metrics/session.metrics';
import type { ResolvedSessionOptions } from '../options/resolved-session-options.interface';
import { expiryOf, isLive, SessionPolicy } from '../policy/session.policy';
import { SessionAnomalyDetector } from '../security/session-anomaly.detector';
import { EventThrottle } from '../security/event.throttle';
import { SESSION_RESOLVED_OPTIONS } from '../session.constants';
import type { Session, SessionContext } from '../session.interface';
import type { SessionRecord } from '../store/session.record';
import { SessionStore } from '../store/session.store';
import {
  hashSessionToken,
  isWellFormedToken,
  sessionTokenKey,
  tokenHashOfKey,
} from '../token/session-token';
import { normalizeContext, toSession } from './session.mapper';
import { SessionWriter } from './session.writer';

/** Why a presented token did not authenticate. */
export type SessionFailure = 'missing' | 'invalid' | 'expired' | 'revoked' | 'replay';

export type SessionValidation =
  | {
      ok: true;
      session: Session;
      /** Set when periodic rotation (`rotationInterval`) replaced the token: hand it over. */
      token?: string;
      /** What `resolveUser` returned, when the option is set. */
      user?: unknown;
    }
  | { ok: false; failure: SessionFailure };

type Client = Required<SessionContext>;

/**
 * The per-request path: token → live session. One indexed read (or a cache hit) in the common
 * case; writes only when renewal is due, a session is found expired, or an anomaly demands it.
 * Every rule of time comes from `SessionPolicy`.
 */
@Injectable()
export class SessionValidator {
  /** Replays of one session are reported once a minute at most: a replay loop can't flood audit. */
  private readonly replayThrottle = new EventThrottle(60_000);

  constructor(
    @Inject(SESSION_RESOLVED_OPTIONS) private readonly options: ResolvedSessionOptions,
    private readonly policy: SessionPolicy,
    private readonly store: SessionStore,
    private readonly clock: Clock,
    private readonly events: SessionEventPublisher,
    private readonly anomalies: SessionAnomalyDetector,
    private readonly cache: SessionValidationCache,
    private readonly writer: SessionWriter,
    private readonly metrics: SessionMetrics,
  ) {}

  /**
   * The live session of `token`, renewed when due (unless `renew` is false: a socket message that
   * must not count as activity). With `allowRotation` (safe cookie requests), a session due for
   * `rotationInterval` gets a new token, returned as `token`.
   */
  async validate(
    token: string | undefined,
    context: SessionContext,
    allowRotation: boolean,
    renew = true,
  ): Promise<SessionValidation> {
    if (!token) return { ok: false, failure: 'missing' };
    // Malformed tokens are refused before hashing or touching the store.
    if (!isWellFormedToken(token)) return { ok: false, failure: 'invalid' };
    // With the cache on, its key (the base64 digest) comes first, so a hit allocates no Buffer.
    const key = this.cache.configured ? sessionTokenKey(token) : undefined;
    const client = normalizeContext(context);
    const now = this.clock.now();
    let entry = key === undefined ? undefined : this.fromCache(key, now);
    if (!entry) {
      const hash = key === undefined ? hashSessionToken(token) : tokenHashOfKey(key);
      const ticket = this.cache.ticket();
      const record = await this.store.findByTokenHash(hash);
      if (!record) return this.fromRotatedToken(hash, client, now);
      entry = { record };
      if (key !== undefined && isLive(record, now)) this.cache.remember(key, entry, ticket);
    }
    const { record } = entry;
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
    const admitted = await this.admit(record, client, now, allowRotation, renew, key);
    return admitted.ok && this.options.resolveUser ? this.withUser(admitted, entry) : admitted;
  }

  /** Ends the live session whose current token this is; false when there is none. */
  async endByToken(token: string | undefined, reason: 'replaced'): Promise<boolean> {
    if (!token || !isWellFormedToken(token)) return false;
    const record = await this.store.findByTokenHash(hashSessionToken(token));
    if (!record || !isLive(record, this.clock.now())) return false;
    return (await this.writer.end(record.id, reason, this.clock.now())) !== null;
  }

  /**
   * A session from the validation cache (when enabled). A cached copy that looks expired is not
   * used: another instance may have renewed it meanwhile, so it is re-read.
   */
  private fromCache(key: string, now: Date): CachedSession | undefined {
    const cached = this.cache.get(key);
    if (!cached || expiryOf(cached.record, now)) {
      this.metrics.recordCacheMiss();
      return undefined;
    }
    this.metrics.recordCacheHit();
    return cached;
  }

  /**
   * A live, unexpired session: anomaly checks, sliding renewal and periodic rotation, as far as
   * each is due. The common case — same client, nothing due — does no I/O.
   */
  private async admit(
    record: SessionRecord,
    client: Client,
    now: Date,
    allowRotation: boolean,
    renew: boolean,
    cacheKey?: string,
  ): Promise<SessionValidation> {
    if (
      this.anomalies.differs(record, client) &&
      (await this.anomalies.inspect(record, client, now))
    ) {
      await this.writer.end(record.id, 'anomaly', now);
      return { ok: false, failure: 'revoked' };
    }
    const renewed =
      renew && this.policy.isRenewalDue(record, now)
        ? await this.writer.renew(record, now, cacheKey)
        : record;
    if (allowRotation && this.policy.isRotationDue(renewed, now)) {
      // Only one of several parallel requests wins the rotation (generation check); the others
      // carry on with the old token, which stays valid for rotationGrace.
      const issued = await this.writer.rotate(record.id, client, now, {
        graceUntil: this.policy.rotationGraceUntil(now),
        reauthenticated: false,
        expectedGeneration: record.generation,
      });
      if (issued) return { ok: true, ...issued };
    }
    return { ok: true, session: toSession(renewed) };
  }

  /**
   * The app's user of an admitted session, from the cache entry when it holds one: resolved once
   * per cached session, evicted with it. A session whose user is gone authenticates nobody.
   */
  private async withUser(
    admitted: Extract<SessionValidation, { ok: true }>,
    entry: CachedSession,
  ): Promise<SessionValidation> {
    let user = admitted.token === undefined ? entry.user : undefined;
    if (user === undefined) {
      user = (await this.options.resolveUser?.(admitted.session)) ?? null;
      entry.user = user;
    }
    if (user === null) return { ok: false, failure: 'revoked' };
    return { ...admitted, user };
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
      if (record && isLive(record, now)) {
        const admitted = await this.admit(record, client, now, false, true);
        return admitted.ok && this.options.resolveUser
          ? this.withUser(admitted, { record })
          : admitted;
      }
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
    client: Client,
    now: Date,
    reason: string,
  ): void {
    if (!this.replayThrottle.shouldReport(sessionId, now.getTime())) return;
    this.events.publish(
      new SessionReplayDetectedEvent({ sessionId, userId, ...client, at: now, reason }),
    );
  }
}
