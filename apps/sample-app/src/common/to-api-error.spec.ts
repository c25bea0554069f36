import {
  BadRequestException,
  HttpException,
  HttpStatus,
  InternalServerErrorException,
  NotFoundException,
  PayloadTooLargeException,
} from '@nestjs/common';
import { ApiException } from './api-error';
import { toApiError } from './to-api-error';

describe('toApiError', () => {
  it('passes an error that already carries a snake_case code through', () => {
    const exception = new HttpException(
      { statusCode: 401, error: 'session_expired', message: 'Session expired.' },
      401,
    );
    expect(toApiError(exception)).toEqual({
      body: { statusCode: 401, error: 'session_expired', message: 'Session expired.' },
      serverFault: false,
    });
    expect(toApiError(new ApiException(409, 'email_taken', 'Taken.')).body.error).toBe(
      'email_taken',
    );
  });

  it('gives Nest’s built-in exceptions a code from their status', () => {
    expect(toApiError(new NotFoundException('Cannot GET /x')).body).toEqual({
      statusCode: 404,
      error: 'not_found',
      message: 'Cannot GET /x',
    });
  });

  it('joins a list of messages into one string', () => {
    const body = toApiError(new BadRequestException(['a is bad', 'b is bad'])).body;
    expect(body).toEqual({ statusCode: 400, error: 'bad_request', message: 'a is bad; b is bad' });
  });

  it('maps body-parser errors by their type, whatever Nest wrapped them in', () => {
    const parse = Object.assign(new SyntaxError('Unexpected token } in JSON'), {
      type: 'entity.parse.failed',
      status: 400,
    });
    expect(toApiError(new BadRequestException(parse.message, { cause: parse })).body).toEqual({
      statusCode: 400,
      error: 'invalid_json',
      message: 'The request body is not valid JSON.',
    });
    const large = Object.assign(new Error('request entity too large'), {
      type: 'entity.too.large',
    });
    expect(toApiError(new PayloadTooLargeException(large.message, { cause: large })).body).toEqual({
      statusCode: 413,
      error: 'payload_too_large',
      message: 'The request body is too large.',
    });
  });

  it('turns unknown errors into a generic 500 and flags them for logging', () => {
    const mapped = toApiError(new Error('password authentication failed for user "app"'));
    expect(mapped).toEqual({
      body: { statusCode: 500, error: 'internal_error', message: 'Internal server error.' },
      serverFault: true,
    });
    expect(toApiError('a thrown string').body.error).toBe('internal_error');
  });

  it('hides the message of an uncoded 5xx HttpException', () => {
    const mapped = toApiError(new InternalServerErrorException('pool exhausted at db.ts:12'));
    expect(mapped.body.message).toBe('Internal server error.');
    expect(mapped.serverFault).toBe(true);
  });

  it('keeps a deliberate 5xx code such as database_unavailable', () => {
    const mapped = toApiError(
      new ApiException(HttpStatus.SERVICE_UNAVAILABLE, 'database_unavailable', 'Down.'),
    );
    expect(mapped).toEqual({
      body: { statusCode: 503, error: 'database_unavailable', message: 'Down.' },
      serverFault: false,
    });
  });

  it('does not trust a non-snake-case error field', () => {
    const body = toApiError(
      new HttpException({ error: 'Bad Request', message: 'nope' }, HttpStatus.BAD_REQUEST),
    ).body;
    expect(body.error).toBe('bad_request');
  });
});
