import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { getRequest } from '../pipeline/execution-context.request';
import { getRequestSession } from '../pipeline/session-request';
import type { Session } from '../session.interface';

/** The session `SessionGuard` validated for this request (undefined on a public route). */
export function currentSessionFactory(
  _data: unknown,
  context: ExecutionContext,
): Session | undefined {
  return getRequestSession(getRequest(context));
}

/** @example me(@CurrentSession() session: Session) */
export const CurrentSession = createParamDecorator(currentSessionFactory);
