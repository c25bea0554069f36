import type { IssuedSession, SessionAuthenticator } from '@app/session';
import type { Request, Response } from 'express';
import { type SessionSummaryView, toSessionSummary } from '../sessions/session.views';

export interface CookieRotationResponse {
  csrfToken: string;
  session: SessionSummaryView;
}

export interface TokenRotationResponse {
  token: string;
  /** `DPoP` when the session is bound to the client's key: the new token is bound to it too. */
  token_type: TokenType;
  session: SessionSummaryView;
}

export type TokenType = 'Bearer' | 'DPoP';

/** How a bearer client must present the token of `session`. */
export function tokenTypeOf(session: { boundKey: string | null }): TokenType {
  return session.boundKey === null ? 'Bearer' : 'DPoP';
}

/**
 * The body of a response that rotated the caller's session. The library hands the new token over
 * the way the caller authenticated (cookie, or bearer on an uncacheable response); the body adds
 * the session's summary.
 */
export function rotationResponse(
  authenticator: SessionAuthenticator,
  request: Request,
  response: Response,
  issued: IssuedSession,
): CookieRotationResponse | TokenRotationResponse {
  const handed = authenticator.handOver(request, response, issued);
  const session = toSessionSummary(issued.session);
  return handed.via === 'cookie'
    ? { csrfToken: handed.csrfToken, session }
    : { token: handed.token, token_type: tokenTypeOf(issued.session), session };
}
