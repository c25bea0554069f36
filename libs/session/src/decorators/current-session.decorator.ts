import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { authenticationOf } from '../pipeline/context-carrier';
import type { RequestAuthentication } from '../pipeline/session-request';
import type { Session } from '../session.interface';

const NO_GUARD =
  'No session guard ran for this route, so there is no session to inject. Add ' +
  '@UseGuards(SessionGuard) to the route or controller, or register it for every route with ' +
  '{ provide: APP_GUARD, useClass: SessionGuard } (and @Public() on the routes that need none).';

/**
 * What the guard attached for this context: null on a `@Public()` route. Throws a developer error
 * when no session guard ran at all — a wiring mistake that must not pass for "signed out".
 */
export function authenticationFor(context: ExecutionContext): RequestAuthentication | null {
  const authentication = authenticationOf(context);
  if (authentication === undefined) throw new Error(NO_GUARD);
  return authentication;
}

/** The session `SessionGuard` validated for this request (undefined on a `@Public()` route). */
export function currentSessionFactory(
  _data: unknown,
  context: ExecutionContext,
): Session | undefined {
  return authenticationFor(context)?.session;
}

/**
 * The session of the current request, as `SessionGuard` validated it.
 *
 * @publicApi
 * @example me(@CurrentSession() session: Session) {}
 */
export const CurrentSession = createParamDecorator(currentSessionFactory);
