import { UnsupportedSessionContextError } from '../pipeline/execution-context.request';
import { SessionErrorCodes, type SessionErrorCode } from './session-error.codes';
import { SessionHttpException } from './session.exceptions';

/** The code and message of a refusal, whatever transport carries it. */
export interface SessionErrorParts {
  readonly code: SessionErrorCode;
  readonly message: string;
}

/**
 * What a session error says, for transports that are not HTTP; undefined for any other error,
 * which those transports report as they report every unexpected error.
 */
export function sessionErrorParts(error: unknown): SessionErrorParts | undefined {
  if (error instanceof SessionHttpException) {
    const body = error.getResponse() as { message?: unknown };
    const message = typeof body.message === 'string' ? body.message : SessionErrorCodes[error.code];
    return { code: error.code, message };
  }
  // A transport the guard cannot read: refused, and the message tells the developer why.
  if (error instanceof UnsupportedSessionContextError) {
    return { code: 'unauthorized', message: error.message };
  }
  return undefined;
}
