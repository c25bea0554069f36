import { HttpStatus } from '@nestjs/common';
import { ApiException } from '../common/api-error';

/**
 * One answer for a malformed id, someone else's session and an ended one: the caller learns nothing
 * about sessions that are not theirs.
 */
export class SessionNotFoundException extends ApiException {
  constructor() {
    super(HttpStatus.NOT_FOUND, 'not_found', 'Session not found.');
  }
}
