/** How a new login is handled when the user already holds `maxSessionsPerUser` live sessions. */
export type SessionLimitStrategy = 'evict-oldest' | 'evict-least-recent' | 'reject';

/** Why a session ended by someone's decision. */
export type SessionRevokeReason =
  | 'logout'
  | 'user'
  | 'admin'
  | 'limit'
  | 'password_change'
  | 'replay'
  | 'anomaly'
  /** Ended by a login of the same client (whoever the session belonged to). */
  | 'replaced';

/** Why a session ended by itself. */
export type SessionExpiryReason = 'idle' | 'absolute';

export type SessionEndReason = SessionRevokeReason | SessionExpiryReason;

/**
 * A session as the store keeps it. Unlike the public `Session`, it carries the token hash and
 * bookkeeping; it never leaves the library.
 */
export interface SessionRecord {
  id: string;
  userId: string;
  /** SHA-256 of the current token (32 bytes). The token itself is never stored. */
  tokenHash: Buffer;
  csrfToken: string;
  data: Record<string, unknown>;
  ip: string | null;
  userAgent: string | null;
  /**
   * The public key the session is bound to: `dpop:<RFC 7638 thumbprint>` (set at creation) or
   * `dbsc:<the public JWK as JSON>` (set by `bindKey` at DBSC registration); null for a session
   * its token alone authenticates. Kept by rotation.
   */
  boundKey: string | null;
  /**
   * The last address the session was seen from when it differed from the one before, and when
   * (`recordSighting`): the previous point of travel checks. Null until the address first changes.
   */
  lastIp: string | null;
  lastIpAt: Date | null;
  createdAt: Date;
  lastSeenAt: Date;
  idleExpiresAt: Date;
  absoluteExpiresAt: Date;
  authenticatedAt: Date;
  rotatedAt: Date;
  /** Incremented by each rotation; lets a rotation assert nobody rotated in between. */
  generation: number;
  /** Set once the session ended (revoked or expired); the row stays as a tombstone until `purgeAfter`. */
  endedAt: Date | null;
  endReason: SessionEndReason | null;
  /** When cleanup may delete the row (and with it the tombstone of its last token). */
  purgeAfter: Date;
}

/** The hash of a token that rotation replaced. */
export interface RotatedTokenRecord {
  tokenHash: Buffer;
  sessionId: string;
  userId: string;
  /** Until then the old token still authenticates (parallel in-flight requests); null = never. */
  graceUntil: Date | null;
  /** When cleanup may delete it. */
  purgeAfter: Date;
}

export interface SessionLimitRule {
  max: number;
  strategy: SessionLimitStrategy;
}

export interface CreateSessionParams {
  /** The per-user limit to enforce atomically with the insert; none = unlimited. */
  limit?: SessionLimitRule;
  /**
   * When the authentication behind this session began (before the password was read). If the
   * user's sessions were revoked at or after it (`endAllForUser` with a `watermark`), nothing is
   * written: the result is `{ created: false, reason: 'revoked' }`. Checked atomically with the
   * insert, so no login that raced a password change can outlive it. None = not checked.
   */
  authenticatedSince?: Date;
  now: Date;
  /** Retention of the tombstones of sessions evicted by the limit. */
  evictedPurgeAfter: Date;
}

export type CreateSessionResult =
  | { created: true; evicted: SessionRecord[] }
  /** `reject` at the limit. (`reason` may be missing in results of stores written before it.) */
  | { created: false; reason?: 'limit'; activeCount: number }
  /** The user's sessions were revoked after this authentication began. */
  | { created: false; reason: 'revoked' };

/** `endAllForUser`'s parameters. */
export interface EndAllForUserParams extends EndSessionParams {
  /** A session the call leaves alone (the caller's own, after a password change). */
  exceptId?: string;
  /**
   * Also record this time as the user's revocation watermark, atomically with the ends (kept at
   * least until `purgeAfter`, never moved back): a later `create` whose `authenticatedSince` is at
   * or before it is refused.
   */
  watermark?: Date;
}

export interface EndSessionParams {
  reason: SessionEndReason;
  now: Date;
  purgeAfter: Date;
}

export interface RotateSessionParams {
  newTokenHash: Buffer;
  newCsrfToken: string;
  now: Date;
  /** Rotate only if the session is still at this generation (only one racer wins). */
  expectedGeneration?: number;
  /** How long the replaced token keeps working; null ends it at once. */
  graceUntil: Date | null;
  /** Retention of the replaced token's tombstone. */
  purgeAfter: Date;
  /** Marks the session freshly authenticated (login, re-authentication, password change). */
  reauthenticated: boolean;
}
