import type { IssuedSession, SessionCookie } from '@app/session';
import { sessionAuthMethod } from '@app/session';
import type { Request, Response } from 'express';
import { type SessionSummaryView, toSessionSummary } from '../sessions/session.views';

export interface CookieRotationResponse {
  csrfToken: string;
  session: SessionSummaryView;
}

export interface TokenRotationResponse {
  token: string;
  session: SessionSummaryView;
}

/**
 * Hands a rotated session back the way the caller authenticated: a cookie caller gets the new
 * cookie and the new CSRF token (the old one died with the old token); a bearer caller gets the
 * new token in an uncacheable body.
 */
export function answerRotation(
  cookie: SessionCookie,
  request: Request,
  response: Response,
  issued: IssuedSession,
): CookieRotationResponse | TokenRotationResponse {
  const view = toSessionSummary(issued.session);
  if (sessionAuthMethod(request) === 'cookie') {
    cookie.write(response, issued.token, issued.session);
    return { csrfToken: issued.session.csrfToken, session: view };
  }
  response.setHeader('Cache-Control', 'no-store');
  return { token: issued.token, session: view };
}
