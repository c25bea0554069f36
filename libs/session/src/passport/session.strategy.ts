import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { Strategy } from 'passport-custom';
import type { ResolvedSessionOptions } from '../options/resolved-session-options.interface';
import { SessionAuthenticator } from '../pipeline/session.authenticator';
import type { SessionRequest } from '../pipeline/session-request';
import { SESSION_RESOLVED_OPTIONS } from '../session.constants';
import { passportResponseOf } from './session-passport.guard';

/**
 * `@UseGuards(AuthGuard('session'))` for apps built around `@nestjs/passport`. It runs the same
 * `SessionAuthenticator` as `SessionGuard` — token from the cookie or bearer header, validation,
 * the CSRF check on unsafe cookie requests, the rotated cookie — so both ways of protecting a
 * route accept and refuse exactly the same requests with the same `{ statusCode, error, message }`
 * failures. The passport user (`req.user`) is the `Session`, or the `resolveUser` result when that
 * option is set; `@CurrentSession()` works too.
 *
 * Register it as a provider next to `PassportModule` (SessionModule must be visible: `isGlobal`
 * or imported). With a global `SessionGuard`, mark the route `@Public()` so only passport runs.
 * On Fastify, guard the route with `SessionPassportGuard` (the same as `AuthGuard('session')`, and
 * it hands the strategy the reply, which passport does not).
 *
 * @publicApi
 * @example
 * \@Module({ imports: [PassportModule], providers: [SessionStrategy], controllers: [MeController] })
 * // in the controller:
 * \@Public() \@UseGuards(AuthGuard('session')) \@Get('me') me(\@CurrentSession() s: Session) {}
 */
@Injectable()
export class SessionStrategy extends PassportStrategy(Strategy, 'session') {
  constructor(
    private readonly authenticator: SessionAuthenticator,
    @Inject(SESSION_RESOLVED_OPTIONS) private readonly options: ResolvedSessionOptions,
  ) {
    super();
  }

  /** Throws the pipeline's HttpExceptions; passport hands them to AuthGuard, which rethrows them. */
  async validate(request: SessionRequest): Promise<unknown> {
    const { session, user } = await this.authenticator.authenticate(
      request,
      passportResponseOf(request),
    );
    return this.options.resolveUser ? user : session;
  }
}
