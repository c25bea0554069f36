import { HttpStatus } from '@nestjs/common';
import { ApiException } from './api-error';

/** 401 for a session that ended while the request was in flight (same code as the session guard). */
export class SessionEndedException extends ApiException {
  constructor() {
    super(HttpStatus.UNAUTHORIZED, 'unauthorized', 'The session has ended; log in again.');
  }
}
