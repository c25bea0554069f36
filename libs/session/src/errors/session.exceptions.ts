import { HttpException, HttpStatus } from '@nestjs/common';
import { SessionErrorCodes, type SessionErrorCode } from './session-error.codes';

/** An HTTP error whose body is `{ statusCode, error, message }` with a stable `error` code. */
export class SessionHttpException extends HttpException {
  constructor(
    status: HttpStatus,
    readonly code: SessionErrorCode,
    message: string = SessionErrorCodes[code],
  ) {
    super({ statusCode: status, error: code, message }, status);
  }
}

/** 401: no usable session (missing, unknown, ended or expired token). */
export class SessionUnauthorizedException extends SessionHttpException {
  constructor(code: 'unauthorized' | 'session_expired' = 'unauthorized') {
    super(HttpStatus.UNAUTHORIZED, code);
  }
}

/** 403: an unsafe cookie-authenticated request without a valid CSRF token or from a foreign origin. */
export class CsrfFailedException extends SessionHttpException {
  constructor() {
    super(HttpStatus.FORBIDDEN, 'csrf_failed');
  }
}

/** 403: a sensitive action on a session whose last authentication is too old. */
export class ReauthRequiredException extends SessionHttpException {
  constructor() {
    super(HttpStatus.FORBIDDEN, 'reauth_required');
  }
}

/** 409: the user is at `maxSessionsPerUser` and the strategy is `reject`. */
export class SessionLimitReachedException extends SessionHttpException {
  constructor() {
    super(HttpStatus.CONFLICT, 'session_limit_reached');
  }
}

/** 503: the store could not answer in time; the request is refused, never let through. */
export class SessionStoreUnavailableException extends SessionHttpException {
  constructor() {
    super(HttpStatus.SERVICE_UNAVAILABLE, 'session_store_unavailable');
  }
}
