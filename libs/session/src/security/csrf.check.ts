import type { Request } from 'express';
import type { Session } from '../session.interface';
import type { ResolvedSessionOptions } from '../options/resolved-session-options';
import { safeEqual } from '../token/session-token';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE']);

export function isUnsafeMethod(method: string): boolean {
  return !SAFE_METHODS.has(method.toUpperCase());
}

/**
 * Whether an unsafe request authenticated by the cookie may proceed. Two independent checks
 * (OWASP CSRF cheat sheet): the request must not come from a foreign origin, per Fetch Metadata
 * and Origin, and it must echo the session's CSRF token in a header — which a cross-site form or
 * `fetch` without CORS cannot set. The token is compared in constant time.
 */
export function passesCsrfCheck(
  request: Request,
  session: Session,
  csrf: ResolvedSessionOptions['csrf'],
): boolean {
  if (!isSameOriginOrAllowed(request, csrf.allowedOrigins)) return false;
  const header = request.headers[csrf.headerName];
  return typeof header === 'string' && safeEqual(header, session.csrfToken);
}

function isSameOriginOrAllowed(request: Request, allowed: ReadonlySet<string>): boolean {
  const origin = request.headers.origin;
  if (typeof origin === 'string') {
    const normalized = origin.toLowerCase();
    if (allowed.has(normalized)) return true;
    // The opaque origin "null" (sandboxed frames, some redirects) is never the app's own.
    const own = `${request.protocol}://${request.headers.host ?? ''}`.toLowerCase();
    return normalized === own;
  }
  // No Origin header (older browsers, non-browser clients): Fetch Metadata is the next signal.
  return request.headers['sec-fetch-site'] !== 'cross-site';
}
