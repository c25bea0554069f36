import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { ApiErrorSchema } from './api-error.schema';

/** The error statuses the app answers with, and the `error` codes each one carries. */
const ERROR_CODES = {
  400: 'bad_request (validation), invalid_json',
  401: 'unauthorized, session_expired, invalid_credentials',
  403: 'csrf_failed (cookie request without a valid X-CSRF-Token), reauth_required',
  404: 'not_found',
  409: 'email_taken, session_limit_reached',
  413: 'payload_too_large (JSON bodies are limited to 16 kB)',
  429: 'too_many_attempts (with Retry-After: the seconds until this account and address may try again)',
  503: 'session_store_unavailable, database_unavailable, redis_unavailable, invalidation_channel_unavailable',
} as const;

export type ApiErrorStatus = keyof typeof ERROR_CODES;

/** Documents error responses, all with the one `{ statusCode, error, message }` schema. */
export function ApiErrors(...statuses: ApiErrorStatus[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ...statuses.map((status) =>
      ApiResponse({ status, description: `error: ${ERROR_CODES[status]}`, type: ApiErrorSchema }),
    ),
  );
}

/** A route with a JSON body: validation (400) and size (413) failures. */
export function ApiJsonBody(): MethodDecorator & ClassDecorator {
  return ApiErrors(400, 413);
}
