import { HttpStatus } from '@nestjs/common';
import { ApiException } from '../common/api-error';

export class RedisUnavailableException extends ApiException {
  constructor() {
    super(HttpStatus.SERVICE_UNAVAILABLE, 'redis_unavailable', 'Redis is unavailable.');
  }
}
