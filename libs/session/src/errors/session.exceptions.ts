import { HttpException, HttpStatus } from '@nestjs/common';
import { DPOP_ALGORITHMS } from '../security/dpop/dpop-algorithms';
import { SessionErrorCodes, type SessionErrorCode } from './session-error.codes';

/**
 * An HTTP error whose body is `{ statusCode, error, message }` with a stable `error` code.
 *
 * @publicApi
 */
export class SessionHttpException extends HttpException {
  constructor(
    status: HttpStatus,
    readonly code: SessionErrorCode,
    message: string = SessionErrorCodes[code],
  ) {
    super({ statusCode: status, error: code, message }, status);
  }
}

/**
 * 401: no usable session (missing, unknown, ended or expired token).
 *
 * @publicApi
 */
export class SessionUnauthorizedException extends SessionHttpException {
  constructor(code: 'unauthorized' | 'session_expired' = 'unauthorized', message?: string) {
    super(HttpStatus.UNAUTHORIZED, code, message);
  }
}

/**
 * 401 `invalid_dpop_proof`: a DPoP-bound token without a valid proof by its key (or sent as
 * `Bearer`), a `DPoP` token that is not bound, or — with `dpop.required` — a token requested
 * without a proof. `challenge` is the `WWW-Authenticate` value (RFC 9449 §7.1), set by the
 * pipeline on HTTP responses.
 * @publicApi
 */
export class DpopProofException extends SessionHttpException {
  readonly challenge: string;

  /** `use_dpop_nonce`: the proof lacked the server's current nonce (sent in `DPoP-Nonce`). */
  constructor(code: 'invalid_dpop_proof' | 'use_dpop_nonce' = 'invalid_dpop_proof') {
    super(HttpStatus.UNAUTHORIZED, code);
    this.challenge = `DPoP error="${code}", algs="${DPOP_ALGORITHMS.join(' ')}"`;
  }
}

/**
 * 403 `device_proof_failed`: a DBSC registration or refresh without a valid proof by the
 * session's key over a challenge this server issued and nobody used.
 * @publicApi
 */
export class DeviceProofFailedException extends SessionHttpException {
  constructor(message?: string) {
    super(HttpStatus.FORBIDDEN, 'device_proof_failed', message);
  }
}

const CSRF_MESSAGES = {
  token: 'Missing or invalid CSRF token.',
  origin:
    'The request comes from a foreign origin (Origin or Sec-Fetch-Site). Behind a TLS-terminating ' +
    'proxy, trust it so the app sees the public scheme and host; list other trusted origins in ' +
    'csrf.allowedOrigins.',
} as const;

/**
 * 403: an unsafe cookie-authenticated request without a valid CSRF token or from a foreign
 * origin. The `error` code is the same for both; `message` says which check failed.
 * @publicApi
 */
export class CsrfFailedException extends SessionHttpException {
  constructor(readonly failure: keyof typeof CSRF_MESSAGES = 'token') {
    super(HttpStatus.FORBIDDEN, 'csrf_failed', CSRF_MESSAGES[failure]);
  }
}

/**
 * 403: a sensitive action on a session whose last authentication is too old.
 *
 * @publicApi
 */
export class ReauthRequiredException extends SessionHttpException {
  constructor() {
    super(HttpStatus.FORBIDDEN, 'reauth_required');
  }
}

/**
 * 409: the user is at `maxSessionsPerUser` and the strategy is `reject`.
 *
 * @publicApi
 */
export class SessionLimitReachedException extends SessionHttpException {
  constructor() {
    super(HttpStatus.CONFLICT, 'session_limit_reached');
  }
}

/**
 * 503: the store could not answer in time; the request is refused, never let through.
 *
 * @publicApi
 */
export class SessionStoreUnavailableException extends SessionHttpException {
  constructor() {
    super(HttpStatus.SERVICE_UNAVAILABLE, 'session_store_unavailable');
  }
}
