import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { errorForContext } from '../errors/context-errors';
import { Clock } from '../clock/clock';
import { authenticationFor } from '../decorators/current-session.decorator';
import {
  ReauthRequiredException,
  SessionUnauthorizedException,
} from '../errors/session.exceptions';
import { SessionPolicy } from '../policy/session.policy';
import { REQUIRE_FRESH_SESSION_KEY } from '../session.constants';

/**
 * Admits a request only if its session proved the user's identity recently (login or
 * re-authentication within the window set by `@RequireFreshSession()`); else 403
 * `reauth_required`. Runs after `SessionGuard`, which attaches the session.
 *
 * @publicApi
 */
@Injectable()
export class FreshSessionGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly clock: Clock,
    private readonly policy: SessionPolicy,
  ) {}

  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    try {
      return this.isFreshEnough(context);
    } catch (error) {
      const type = context.getType<string>();
      // Outside HTTP, the refusal comes in the transport's own error kind (see SessionGuard).
      if (type === 'http') throw error;
      return errorForContext(type, error).then((translated) => {
        throw translated;
      });
    }
  }

  private isFreshEnough(context: ExecutionContext): boolean {
    const seconds = this.reflector.getAllAndOverride<number | null | undefined>(
      REQUIRE_FRESH_SESSION_KEY,
      [context.getHandler(), context.getClass()],
    );
    if (seconds === undefined) return true;
    const session = authenticationFor(context)?.session;
    if (!session) throw new SessionUnauthorizedException();
    const windowMs = seconds === null ? undefined : seconds * 1000;
    if (!this.policy.isFresh(session, this.clock.now(), windowMs))
      throw new ReauthRequiredException();
    return true;
  }
}
