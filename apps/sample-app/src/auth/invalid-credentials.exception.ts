import { HttpStatus } from '@nestjs/common';
import { ApiException } from '../common/api-error';

/** One answer for an unknown email and a wrong password, so neither can be told apart. */
export class InvalidCredentialsException extends ApiException {
  constructor() {
    super(HttpStatus.UNAUTHORIZED, 'invalid_credentials', 'Invalid email or password.');
  }
}
