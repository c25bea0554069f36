import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { authenticationFor } from './current-session.decorator';

/** What the `resolveUser` option returned for the current session. */
export function currentUserFactory(_data: unknown, context: ExecutionContext): unknown {
  return authenticationFor(context)?.user;
}

/**
 * The app's user of the current session, as the `resolveUser` option resolved it (cached with
 * the session when the validation cache is on). Undefined without that option.
 *
 * @publicApi
 * @example me(@CurrentUser() user: UserView) {}
 */
export const CurrentUser = createParamDecorator(currentUserFactory);
