import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { authenticationFor } from './current-session.decorator';

/** The id of the user the validated session belongs to. */
export function currentUserIdFactory(
  _data: unknown,
  context: ExecutionContext,
): string | undefined {
  return authenticationFor(context)?.session.userId;
}

/**
 * The user id of the current request's session.
 *
 * @publicApi
 * @example profile(@CurrentUserId() userId: string) {}
 */
export const CurrentUserId = createParamDecorator(currentUserIdFactory);
