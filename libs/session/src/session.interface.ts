/**
 * A live session as the application sees it. It holds no secret that authenticates: the token
 * exists only in the client and as a hash in the store. `csrfToken` is meant for the client.
 * @publicApi
 */
export interface Session {
  /** Public id (UUID): used in listings, events and revocation, never as a credential. */
  readonly id: string;
  readonly userId: string;
  readonly data: Readonly<Record<string, unknown>>;
  /** Client ip seen at creation. */
  readonly ip: string | null;
  /** User agent seen at creation. */
  readonly userAgent: string | null;
  /**
   * The public key the session is bound to: `dpop:<RFC 7638 thumbprint>` for a DPoP session,
   * `dbsc:<public JWK as JSON>` for a device-bound browser session; null when the token alone
   * authenticates.
   */
  readonly boundKey: string | null;
  /** When the current token was issued (sign-in or the last rotation). */
  readonly tokenIssuedAt: Date;
  /** Per-session value the client echoes in the CSRF header; replaced on rotation. */
  readonly csrfToken: string;
  readonly createdAt: Date;
  readonly lastSeenAt: Date;
  /** Idle expiry: moves forward with activity, never past `absoluteExpiresAt`. */
  readonly expiresAt: Date;
  readonly absoluteExpiresAt: Date;
  /** Last time the user proved who they are (login or re-authentication). */
  readonly authenticatedAt: Date;
}

/**
 * What the request tells about the client.
 *
 * @publicApi
 */
export interface SessionContext {
  readonly ip?: string | null;
  readonly userAgent?: string | null;
}

/**
 * A session together with the token to hand to the client — the only time the token exists.
 *
 * @publicApi
 */
export interface IssuedSession {
  readonly session: Session;
  readonly token: string;
}
