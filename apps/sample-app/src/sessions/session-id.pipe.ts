import { ParseUUIDPipe } from '@nestjs/common';
import { SessionNotFoundException } from './session-not-found.exception';

/** A malformed id cannot name one of the caller's sessions: 404, like any other unknown id. */
export const SessionIdPipe = new ParseUUIDPipe({
  exceptionFactory: () => new SessionNotFoundException(),
});
