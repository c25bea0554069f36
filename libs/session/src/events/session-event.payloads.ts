import type {
  SessionAnomalyKind,
  SessionLimitStrategy,
} from '../options/session-module-options.interface';
import type { SessionExpiryReason, SessionRevokeReason } from '../store/session.record';
import { SessionEvents, type SessionEventName } from './session-event.names';

interface SessionEventFields {
  sessionId: string | null;
  userId: string;
  ip: string | null;
  userAgent: string | null;
  at: Date;
  reason?: string | null;
}

/**
 * Base of every payload. Carries the session's public id, never its token: events travel to
 * listeners, logs and audit tables that must not be able to replay a session.
 * @publicApi
 */
export abstract class SessionEvent {
  abstract readonly type: SessionEventName;
  readonly sessionId: string | null;
  readonly userId: string;
  /** Client ip of the request that caused the event (or the session's, for background events). */
  readonly ip: string | null;
  readonly userAgent: string | null;
  readonly at: Date;
  readonly reason: string | null;

  constructor(fields: SessionEventFields) {
    this.sessionId = fields.sessionId;
    this.userId = fields.userId;
    this.ip = fields.ip;
    this.userAgent = fields.userAgent;
    this.at = fields.at;
    this.reason = fields.reason ?? null;
  }
}

/** @publicApi */
export class SessionCreatedEvent extends SessionEvent {
  readonly type = SessionEvents.CREATED;
}

/**
 * The idle expiry moved forward (at most once per `touchInterval`).
 *
 * @publicApi
 */
export class SessionRenewedEvent extends SessionEvent {
  readonly type = SessionEvents.RENEWED;
}

/** @publicApi */
export class SessionRotatedEvent extends SessionEvent {
  readonly type = SessionEvents.ROTATED;
}

/** @publicApi */
export class SessionRevokedEvent extends SessionEvent {
  readonly type = SessionEvents.REVOKED;
  declare readonly reason: SessionRevokeReason;
}

/** @publicApi */
export class SessionExpiredEvent extends SessionEvent {
  readonly type = SessionEvents.EXPIRED;
  declare readonly reason: SessionExpiryReason;
}

/** @publicApi */
export class SessionLimitReachedEvent extends SessionEvent {
  readonly type = SessionEvents.LIMIT_REACHED;
  constructor(
    fields: SessionEventFields,
    readonly strategy: SessionLimitStrategy,
    readonly limit: number,
    readonly evictedSessionIds: readonly string[],
  ) {
    super(fields);
  }
}

/**
 * A revoked or rotated token was presented again: the signature of a stolen token.
 *
 * @publicApi
 */
export class SessionReplayDetectedEvent extends SessionEvent {
  readonly type = SessionEvents.REPLAY_DETECTED;
}

/**
 * A DBSC registration or refresh failed its proof: another key, a reused or unknown challenge,
 * an invalid proof; `reason` says which. Listeners get it by name (`SessionEvents.DEVICE_PROOF_FAILED`).
 */
export class SessionDeviceProofFailedEvent extends SessionEvent {
  readonly type = SessionEvents.DEVICE_PROOF_FAILED;
}

/**
 * The request differs from what the session saw at login; `reason` repeats the `kind`.
 *
 * @publicApi
 */
export class SessionAnomalyEvent extends SessionEvent {
  readonly type = SessionEvents.ANOMALY;
  constructor(
    fields: Omit<SessionEventFields, 'reason'>,
    readonly kind: SessionAnomalyKind,
    /** What was seen before and now (ip, user agent or country), for the audit trail. */
    readonly details: { readonly previous: string | null; readonly current: string | null },
  ) {
    super({ ...fields, reason: kind });
  }
}
