import type { ExecutionContext } from '@nestjs/common';
import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { Request } from 'express';
import { getRequestSession } from '../pipeline/session-request';
import { SessionUnauthorizedException } from '../errors/session.exceptions';
import { SessionGuard } from '../guards/session.guard';
import type { Session } from '../session.interface';

type VerifyDone = (error: unknown, user?: unknown) => void;
type Verify = (request: Request, done: VerifyDone) => void;

/**
 * The smallest passport strategy: hands the whole request to the verify callback that Nest's
 * `PassportStrategy` mixin supplies (it calls `validate`). Written here rather than taken from
 * `passport-custom` so the library needs no extra dependency for it.
 */
class RequestStrategy {
  // passport gives each attempt its own copy of the strategy (Object.create) carrying these.
  declare success: (user: unknown) => void;
  declare fail: (status: number) => void;
  declare error: (error: unknown) => void;

  constructor(private readonly verify: Verify) {}

  authenticate(request: Request): void {
    this.verify(request, (error, user) => {
      if (error) this.error(error);
      else if (user) this.success(user);
      else this.fail(401);
    });
  }
}

/**
 * `@UseGuards(AuthGuard('session'))` for apps built around `@nestjs/passport`. There is one code
 * path: the strategy runs the very `SessionGuard` check — token extraction from the cookie or
 * bearer header, `SessionService.authenticate`, the CSRF check on unsafe cookie requests, the
 * rotated cookie — so both ways of protecting a route accept and refuse exactly the same
 * requests, with the same `{ statusCode, error, message }` failures (401 `unauthorized` /
 * `session_expired`, 403 `csrf_failed`, 503 `session_store_unavailable`). The passport user
 * (`req.user`) is the `Session`; `@CurrentSession()` works too.
 *
 * Register it as a provider next to `PassportModule` (SessionModule must be visible: `isGlobal`
 * or imported). With a global `SessionGuard`, mark the route `@Public()` so only passport runs.
 *
 * @example
 * \@Module({ imports: [PassportModule], providers: [SessionStrategy], controllers: [MeController] })
 * // in the controller:
 * \@Public() \@UseGuards(AuthGuard('session')) \@Get('me') me(\@CurrentSession() s: Session) {}
 */
@Injectable()
export class SessionStrategy extends PassportStrategy(RequestStrategy, 'session') {
  constructor(private readonly guard: SessionGuard) {
    super();
  }

  async validate(request: Request): Promise<Session> {
    // Throws the guard's own HttpExceptions; passport hands them to AuthGuard, which rethrows them.
    await this.guard.canActivate(strategyContext(request));
    const session = getRequestSession(request);
    if (session === undefined) throw new SessionUnauthorizedException('unauthorized');
    return session;
  }
}

/**
 * An HTTP execution context for the guard. Its handler and class are the strategy's own, which
 * carry no `@Public()` metadata: the guard always checks, whatever the route says.
 */
function strategyContext(request: Request): ExecutionContext {
  const args = [request, request.res, request.next];
  const unsupported = (): never => {
    throw new Error('SessionStrategy runs over HTTP only');
  };
  const context: ExecutionContext = {
    getType: <T extends string>() => 'http' as T,
    getClass: <T>() => SessionStrategy as T,
    getHandler: () => SessionStrategy.prototype.validate,
    getArgs: <T extends unknown[]>() => args as T,
    getArgByIndex: <T>(index: number) => args[index] as T,
    switchToHttp: () => ({
      getRequest: <T>() => request as T,
      getResponse: <T>() => request.res as T,
      getNext: <T>() => request.next as T,
    }),
    switchToRpc: unsupported,
    switchToWs: unsupported,
  };
  return context;
}
