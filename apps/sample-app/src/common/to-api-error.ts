import { HttpException, HttpStatus } from '@nestjs/common';
import type { ApiErrorBody } from './api-error';
import { isBackingServiceFailure } from './backing-service-failure';
import {
  BODY_PARSER_CODES,
  errorCodeForStatus,
  FASTIFY_ERROR_TYPES,
  SNAKE_CASE_CODE,
} from './error-codes';

export interface MappedError {
  body: ApiErrorBody;
  /** True when the error is a server fault that must be logged (with its stack) server-side. */
  serverFault: boolean;
}

/** A database or Redis that is down or too slow: the client may retry; nothing is let through. */
const SERVICE_UNAVAILABLE: ApiErrorBody = {
  statusCode: HttpStatus.SERVICE_UNAVAILABLE,
  error: 'service_unavailable',
  message: 'A backing service is temporarily unavailable; retry shortly.',
};

const INTERNAL_ERROR: ApiErrorBody = {
  statusCode: HttpStatus.INTERNAL_SERVER_ERROR,
  error: 'internal_error',
  message: 'Internal server error.',
};

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** Nest's validation and built-in exceptions use a string or a string[]: one string goes out. */
function joinMessage(value: unknown): string | undefined {
  if (typeof value === 'string' && value !== '') return value;
  if (Array.isArray(value)) {
    const parts = value.filter((part): part is string => typeof part === 'string' && part !== '');
    return parts.length > 0 ? parts.join('; ') : undefined;
  }
  return undefined;
}

/**
 * Express's body-parser errors (and Fastify's own request errors) reach us wrapped by Nest, the
 * original kept as `cause`: its body-parser `type`, or the type of Fastify's `code`.
 */
function bodyParserType(exception: HttpException): string | undefined {
  const cause = exception.cause;
  if (!isRecord(cause)) return undefined;
  if (typeof cause.type === 'string') return cause.type;
  return typeof cause.code === 'string' ? FASTIFY_ERROR_TYPES[cause.code] : undefined;
}

/**
 * Maps anything thrown during a request to the app's one error shape. Errors that already carry a
 * stable snake_case code (the session library's, ours) pass through; Nest's built-in exceptions get a
 * code from their status; anything else is a 500 with a generic message, so no stack trace, SQL or
 * internal path ever reaches a client.
 */
export function toApiError(exception: unknown): MappedError {
  if (!(exception instanceof HttpException)) {
    const body = isBackingServiceFailure(exception) ? SERVICE_UNAVAILABLE : INTERNAL_ERROR;
    return { body, serverFault: true };
  }
  const statusCode = exception.getStatus();
  const parserError = BODY_PARSER_CODES[bodyParserType(exception) ?? ''];
  if (parserError !== undefined) {
    return {
      body: { statusCode, error: parserError.code, message: parserError.message },
      serverFault: false,
    };
  }
  const response = exception.getResponse();
  const ownCode =
    isRecord(response) && typeof response.error === 'string' && SNAKE_CASE_CODE.test(response.error)
      ? response.error
      : undefined;
  if (statusCode >= 500 && ownCode === undefined) {
    // A 5xx without a deliberate code is an unexpected fault; its message may hold internals.
    return { body: { ...INTERNAL_ERROR, statusCode }, serverFault: true };
  }
  const message =
    joinMessage(isRecord(response) ? response.message : response) ??
    joinMessage(exception.message) ??
    'Request failed.';
  return {
    body: { statusCode, error: ownCode ?? errorCodeForStatus(statusCode), message },
    serverFault: false,
  };
}
