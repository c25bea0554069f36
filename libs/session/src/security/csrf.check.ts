import type { SessionRequest } from '../pipeline/session-request';
import { requestOrigin } from '../pipeline/request-url';
import type { ResolvedSessionOptions } from '../options/resolved-session-options.interface';
import type { Session } from '../session.interface';
import { safeEqual } from '../token/session-token';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE']);

export function isUnsafeMethod(method: string): boolean {
  return !SAFE_METHODS.has(method.toUpperCase());
}

/** Which of the two CSRF checks an unsafe cookie request failed. */
export type CsrfFailure = 'origin' | 'token';

/**
 * Whether an unsafe request authenticated by the cookie may proceed: null when it may, else the
 * check it failed. Two independent checks (OWASP CSRF cheat sheet): the request must not come
 * from a foreign origin, per Fetch Metadata and Origin, and it must echo the session's CSRF token
 * in a header — which a cross-site form or `fetch` without CORS cannot set. The token is compared
 * in constant time.
 */
export function csrfFailureOf(
  request: SessionRequest,
  session: Session,
  csrf: ResolvedSessionOptions['csrf'],
): CsrfFailure | null {
  if (!isSameOriginOrAllowed(request, csrf.allowedOrigins)) return 'origin';
  const header = request.headers[csrf.headerName];
  return typeof header === 'string' && safeEqual(header, session.csrfToken) ? null : 'token';
}

/**
 * Whether the request comes from the app's own origin or an allowed one (Origin, else Fetch
 * Metadata): the CSRF check's first half, and the WebSocket handshake's whole check.
 */
export function isSameOriginOrAllowed(
  request: SessionRequest,
  allowed: ReadonlySet<string>,
): boolean {
  const origin = request.headers.origin;
  if (typeof origin === 'string') {
    const normalized = origin.toLowerCase();
    if (allowed.has(normalized)) return true;
    // The opaque origin "null" (sandboxed frames, some redirects) is never the app's own.
    return normalized === requestOrigin(request);
  }
  // No Origin header (older browsers, non-browser clients): Fetch Metadata is the next signal.
  return request.headers['sec-fetch-site'] !== 'cross-site';
}
