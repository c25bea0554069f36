import { HttpStatus } from '@nestjs/common';
import { ApiException } from '../common/api-error';

/** 429: this account (from this address) or this address tried too often; `Retry-After` says when. */
export class TooManyAttemptsException extends ApiException {
  constructor(readonly retryAfterSeconds: number) {
    super(
      HttpStatus.TOO_MANY_REQUESTS,
      'too_many_attempts',
      `Too many attempts; try again in ${retryAfterSeconds} seconds.`,
    );
  }
}
