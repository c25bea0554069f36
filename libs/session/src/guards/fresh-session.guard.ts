import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { getRequest } from '../pipeline/execution-context.request';
import { getRequestSession } from '../pipeline/session-request';
import {
  ReauthRequiredException,
  SessionUnauthorizedException,
} from '../errors/session.exceptions';
import type { ResolvedSessionOptions } from '../options/resolved-session-options';
import { Clock } from '../clock/clock';
import { REQUIRE_FRESH_SESSION_KEY, SESSION_RESOLVED_OPTIONS } from '../session.constants';

/**
 * Admits a request only if its session proved the user's identity recently (login or
 * re-authentication within the window set by `@RequireFreshSession()`); else 403
 * `reauth_required`. Runs after `SessionGuard`, which attaches the session.
 */
@Injectable()
export class FreshSessionGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly clock: Clock,
    @Inject(SESSION_RESOLVED_OPTIONS) private readonly options: ResolvedSessionOptions,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const seconds = this.reflector.getAllAndOverride<number | null | undefined>(
      REQUIRE_FRESH_SESSION_KEY,
      [context.getHandler(), context.getClass()],
    );
    if (seconds === undefined) return true;
    const session = getRequestSession(getRequest(context));
    if (!session) throw new SessionUnauthorizedException();
    const windowMs = seconds === null ? this.options.reauthWindowMs : seconds * 1000;
    const age = this.clock.now().getTime() - session.authenticatedAt.getTime();
    if (age > windowMs) throw new ReauthRequiredException();
    return true;
  }
}
