import { HttpStatus } from '@nestjs/common';
import { ApiException } from '../common/api-error';

export class EmailTakenException extends ApiException {
  constructor() {
    super(HttpStatus.CONFLICT, 'email_taken', 'An account with this email already exists.');
  }
}
