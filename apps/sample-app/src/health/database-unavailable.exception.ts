import { HttpStatus } from '@nestjs/common';
import { ApiException } from '../common/api-error';

export class DatabaseUnavailableException extends ApiException {
  constructor() {
    super(HttpStatus.SERVICE_UNAVAILABLE, 'database_unavailable', 'The database is unavailable.');
  }
}
