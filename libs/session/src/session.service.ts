import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { Clock } from './clock/clock';
import {
  SessionLimitReachedException,
  SessionUnauthorizedException,
} from './errors/session.exceptions';
import type { IssuedSession, Session, SessionContext } from './session.interface';
import type { ResolvedSessionOptions } from './options/resolved-session-options.interface';
import { SessionAnomalyDetector } from './security/session-anomaly.detector';
import { SESSION_RESOLVED_OPTIONS } from './session.constants';
import { normalizeContext, toSession } from './core/session.mapper';
import { type SessionValidation, SessionValidator } from './core/session.validator';
import { SessionWriter } from './core/session.writer';
import type { SessionLimitRule, SessionRecord, SessionRevokeReason } from './store/session.record';
import { isLive, SessionPolicy } from './policy/session.policy';
import { SessionStore } from './store/session.store';
import { generateCsrfToken } from './token/csrf-token';
import { generateSessionToken, hashSessionToken } from './token/session-token';

export type { SessionFailure, SessionValidation } from './core/session.validator';

const CREDENTIALS_CHANGED =
  "The account's sessions were revoked while this sign-in was under way; sign in again.";

/**
 * The session lifecycle: create, validate (with sliding renewal), rotate, revoke, list.
 *
 * @example
 * const { session, token } = await sessions.create(user.id, getSessionContext(req));
 * sessionCookie.write(res, token, session);
 * @publicApi
 */
@Injectable()
export class SessionService {
  constructor(
    @Inject(SESSION_RESOLVED_OPTIONS) private readonly options: ResolvedSessionOptions,
    private readonly policy: SessionPolicy,
    private readonly store: SessionStore,
    private readonly clock: Clock,
    private readonly anomalies: SessionAnomalyDetector,
    private readonly validator: SessionValidator,
    private readonly writer: SessionWriter,
  ) {}

  /**
   * Starts a new session with a fresh token — never reuses one the client sent (fixation).
   * Enforces `maxSessionsPerUser` atomically; throws `SessionLimitReachedException` under `reject`.
   *
   * `authenticatedSince` (default: now) is when the authentication behind this session began —
   * take it before reading the password. If `revokeAllForUser` ran at or after that moment (a
   * password change, an account deletion), the session is not created and this throws
   * `SessionUnauthorizedException`: a login with the old password cannot outlive the change.
   * The check is atomic with the insert, per user, across instances.
   *
   * `boundKey` binds the session to a public key for its whole life (`dpop:<thumbprint>`, from
   * `SessionAuthenticator.dpopKeyOf`): its token is then accepted only with a proof by that key.
   */
  async create(
    userId: string,
    context: SessionContext,
    data: Record<string, unknown> = {},
    {
      authenticatedSince,
      boundKey = null,
    }: { authenticatedSince?: Date; boundKey?: string | null } = {},
  ): Promise<IssuedSession> {
    if (typeof userId !== 'string' || userId === '') {
      throw new TypeError('SessionService.create: userId must be a non-empty string');
    }
    const now = this.clock.now();
    const client = normalizeContext(context);
    const token = generateSessionToken();
    const record: SessionRecord = {
      id: randomUUID(),
      userId,
      tokenHash: hashSessionToken(token),
      csrfToken: generateCsrfToken(),
      data,
      ...client,
      boundKey,
      lastIp: null,
      lastIpAt: null,
      ...this.policy.initialTimes(now),
      createdAt: now,
      lastSeenAt: now,
      authenticatedAt: now,
      rotatedAt: now,
      generation: 0,
      endedAt: null,
      endReason: null,
    };
    const limit = await this.limitFor(userId);
    const since = authenticatedSince ?? now;
    const result = await this.writer.insert(
      record,
      { limit, authenticatedSince: since },
      client,
      now,
    );
    if (!result.created && result.reason === 'revoked') {
      throw new SessionUnauthorizedException('unauthorized', CREDENTIALS_CHANGED);
    }
    if (!result.created) throw new SessionLimitReachedException();
    if (await this.anomalies.inspectNewSession(record, now)) {
      await this.writer.end(record.id, 'anomaly', now);
      throw new SessionUnauthorizedException();
    }
    return { session: toSession(record), token };
  }

  /** The session a token belongs to, if it is live; renews it at most once per `touchInterval`. */
  async validate(token: string, context: SessionContext): Promise<Session | null> {
    const result = await this.check(token, context);
    return result.ok ? result.session : null;
  }

  /**
   * Like `validate`, with the reason of a failure: `missing`, `invalid`, `expired`, `revoked` or
   * `replay`. (Requests go through `SessionAuthenticator`, which also rotates and checks CSRF.)
   */
  check(token: string | undefined, context: SessionContext): Promise<SessionValidation> {
    return this.validator.validate(token, context, false);
  }

  /** @deprecated Renamed `check(token, context)`; this alias goes in the next major version. */
  authenticate(token: string | undefined, context: SessionContext): Promise<SessionValidation> {
    return this.check(token, context);
  }

  /**
   * Issues a new token for the same logical session; the old one stops working at once.
   * Use after login, password change, re-authentication or any privilege change.
   * Returns null when the session is not live.
   */
  rotate(
    sessionId: string,
    context: SessionContext,
    options: { reauthenticated?: boolean } = {},
  ): Promise<IssuedSession | null> {
    return this.writer.rotate(sessionId, normalizeContext(context), this.clock.now(), {
      graceUntil: null,
      reauthenticated: options.reauthenticated ?? false,
    });
  }

  /** Ends one session. Returns false when it was not live. */
  async revoke(sessionId: string, reason: SessionRevokeReason): Promise<boolean> {
    return (await this.writer.end(sessionId, reason, this.clock.now())) !== null;
  }

  /**
   * Ends every live session of a user, optionally but one; returns how many ended. It also
   * records a watermark in the same atomic step: a `create()` whose `authenticatedSince` is at
   * or before now is refused, so a login already under way cannot slip past the revocation.
   */
  async revokeAllForUser(
    userId: string,
    options: { exceptSessionId?: string; reason: SessionRevokeReason },
  ): Promise<number> {
    const now = this.clock.now();
    const ended = await this.writer.endAllForUser(
      userId,
      options.reason,
      now,
      options.exceptSessionId,
    );
    return ended.length;
  }

  /** Ends every live session of every user (the admin kill switch); returns how many. */
  revokeAll(reason: SessionRevokeReason = 'admin'): Promise<number> {
    return this.writer.endAll(reason, this.clock.now());
  }

  /** The user's live sessions, newest first. */
  async listActive(userId: string): Promise<Session[]> {
    return (await this.store.listActive(userId, this.clock.now())).map(toSession);
  }

  countActive(userId: string): Promise<number> {
    return this.store.countActive(userId, this.clock.now());
  }

  /** A live session by its public id, or null. */
  async findById(sessionId: string): Promise<Session | null> {
    const record = await this.store.findById(sessionId);
    return record && isLive(record, this.clock.now()) ? toSession(record) : null;
  }

  /**
   * Tells every instance's validation cache that this user changed (email, role, deletion), so
   * the next request of each of their sessions reads the session and `resolveUser` afresh.
   * A no-op without the `cache` option.
   */
  async invalidateUser(userId: string): Promise<void> {
    await this.writer.invalidateUser(userId, this.clock.now());
  }

  /** Replaces the application data of a live session; null when it is not live. */
  async updateData(sessionId: string, data: Record<string, unknown>): Promise<Session | null> {
    const record = await this.writer.updateData(sessionId, data, this.clock.now());
    return record ? toSession(record) : null;
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
}
