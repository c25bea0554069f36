import { HttpStatus } from '@nestjs/common';
import { ApiException } from '../common/api-error';

export class InvalidationChannelUnavailableException extends ApiException {
  constructor() {
    super(
      HttpStatus.SERVICE_UNAVAILABLE,
      'invalidation_channel_unavailable',
      'The validation cache cannot hear revocations from other instances.',
    );
  }
}
