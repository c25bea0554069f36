import { HttpStatus } from '@nestjs/common';

/**
 * Default codes for errors that do not carry one of their own (Nest's built-in exceptions,
 * body-parser errors, routing errors). Codes are part of the HTTP contract: never rename one.
 */
const CODES_BY_STATUS: Readonly<Record<number, string>> = {
  [HttpStatus.BAD_REQUEST]: 'bad_request',
  [HttpStatus.UNAUTHORIZED]: 'unauthorized',
  [HttpStatus.FORBIDDEN]: 'forbidden',
  [HttpStatus.NOT_FOUND]: 'not_found',
  [HttpStatus.METHOD_NOT_ALLOWED]: 'method_not_allowed',
  [HttpStatus.NOT_ACCEPTABLE]: 'not_acceptable',
  [HttpStatus.CONFLICT]: 'conflict',
  [HttpStatus.PAYLOAD_TOO_LARGE]: 'payload_too_large',
  [HttpStatus.UNSUPPORTED_MEDIA_TYPE]: 'unsupported_media_type',
  [HttpStatus.UNPROCESSABLE_ENTITY]: 'unprocessable_entity',
  [HttpStatus.TOO_MANY_REQUESTS]: 'too_many_requests',
  [HttpStatus.SERVICE_UNAVAILABLE]: 'service_unavailable',
};

export function errorCodeForStatus(status: number): string {
  if (status >= 500) return CODES_BY_STATUS[status] ?? 'internal_error';
  return CODES_BY_STATUS[status] ?? 'bad_request';
}

/** body-parser marks its errors with a `type`; the ones a client can cause get their own code. */
export const BODY_PARSER_CODES: Readonly<Record<string, { code: string; message: string }>> = {
  'entity.parse.failed': { code: 'invalid_json', message: 'The request body is not valid JSON.' },
  'entity.too.large': { code: 'payload_too_large', message: 'The request body is too large.' },
  'encoding.unsupported': {
    code: 'unsupported_media_type',
    message: 'The request body encoding is not supported.',
  },
  'charset.unsupported': {
    code: 'unsupported_media_type',
    message: 'The request body charset is not supported.',
  },
  'request.aborted': { code: 'bad_request', message: 'The request was aborted.' },
  'request.size.invalid': {
    code: 'bad_request',
    message: 'The request body does not match its Content-Length.',
  },
};

/**
 * Fastify's own request errors (its `code`), answered as their body-parser twins above, so a
 * request gets the same answer on both platforms.
 */
export const FASTIFY_ERROR_TYPES: Readonly<Record<string, string>> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'entity.too.large',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'request.size.invalid',
};

export const SNAKE_CASE_CODE = /^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$/;
