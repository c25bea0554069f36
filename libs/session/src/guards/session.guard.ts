import {
  type CanActivate,
  type ExecutionContext,
  HttpException,
  Inject,
  Injectable,
  Logger,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { getRequest, getResponse } from '../pipeline/execution-context.request';
import { attachSession, getSessionContext } from '../pipeline/session-request';
import {
  CsrfFailedException,
  SessionStoreUnavailableException,
  SessionUnauthorizedException,
} from '../errors/session.exceptions';
import type { Session } from '../session.interface';
import type { ResolvedSessionOptions } from '../options/resolved-session-options';
import { isUnsafeMethod, passesCsrfCheck } from '../security/csrf.check';
import { IS_PUBLIC_KEY, SESSION_RESOLVED_OPTIONS } from '../session.constants';
import { type SessionFailure, SessionService, type SessionValidation } from '../session.service';
import { SessionMetrics } from '../metrics/session.metrics';
import { extractSessionToken } from '../transport/session-token.reader';
import { SessionCookie } from '../transport/session.cookie';

/**
 * Admits a request only with a live session, read from the cookie or a bearer header; attaches
 * it for `@CurrentSession()`. Unsafe cookie requests must pass the CSRF check. Store failures
 * answer 503: the guard fails closed, never letting a request through unchecked.
 *
 * @example
 * @UseGuards(SessionGuard) @Get('me') me(@CurrentSession() session: Session) {}
 * // or globally: { provide: APP_GUARD, useClass: SessionGuard } with @Public() opt-outs
 */
@Injectable()
export class SessionGuard implements CanActivate {
  private readonly logger = new Logger(SessionGuard.name);
  /** handler → controller class → whether the route is `@Public()`. */
  private readonly publicRoutes = new WeakMap<object, WeakMap<object, boolean>>();

  constructor(
    private readonly reflector: Reflector,
    private readonly sessions: SessionService,
    private readonly cookie: SessionCookie,
    @Inject(SESSION_RESOLVED_OPTIONS) private readonly options: ResolvedSessionOptions,
    private readonly metrics: SessionMetrics,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (this.isPublic(context)) return true;

    const request = this.getRequest(context);
    const { token, via } = extractSessionToken(
      request,
      this.options.cookie.name,
      this.options.transports,
    );
    // Periodic rotation only on safe cookie requests: an unsafe one may still fail the CSRF check
    // below, and a rotation whose new cookie never reaches the browser would end its session
    // once the grace period is over.
    const unsafe = isUnsafeMethod(request.method);
    const started = performance.now();
    let result: SessionValidation;
    try {
      // Awaited here rather than in a helper: one async frame less on every request.
      result = await this.sessions.authenticate(token, getSessionContext(request), {
        allowRotation: via === 'cookie' && !unsafe,
      });
    } catch (error) {
      this.metrics.recordValidation('unavailable', seconds(started));
      throw this.storeFailure(error);
    }
    this.metrics.recordValidation(result.ok ? 'ok' : result.failure, seconds(started));
    if (!result.ok || !via) throw this.failure(result.ok ? 'missing' : result.failure);

    if (
      via === 'cookie' &&
      this.options.csrf.enabled &&
      unsafe &&
      !passesCsrfCheck(request, result.session, this.options.csrf)
    ) {
      throw new CsrfFailedException();
    }
    attachSession(request, result.session, via);
    // Periodic rotation (rotationInterval) hands the new token over in a fresh cookie.
    if (result.token) this.handOver(context, result.token, result.session);
    return true;
  }

  /**
   * `@Public()` on the handler or its class. Decorators are fixed once the app runs, so the answer
   * is kept per handler and class: reading metadata walks prototype chains on every request.
   */
  private isPublic(context: ExecutionContext): boolean {
    const handler = context.getHandler();
    const controller = context.getClass();
    let byClass = this.publicRoutes.get(handler);
    let found = byClass?.get(controller);
    if (found === undefined) {
      found =
        this.reflector.getAllAndOverride<boolean | undefined>(IS_PUBLIC_KEY, [
          handler,
          controller,
        ]) === true;
      if (!byClass) this.publicRoutes.set(handler, (byClass = new WeakMap()));
      byClass.set(controller, found);
    }
    return found;
  }

  /** Override to support other transports (WebSocket clients, custom GraphQL contexts). */
  protected getRequest(context: ExecutionContext): Request {
    return getRequest(context);
  }

  private handOver(context: ExecutionContext, token: string, session: Session): void {
    const response = getResponse(context);
    if (response) this.cookie.write(response, token, session);
  }

  /** A store error becomes 503 (fail closed); an HttpException raised inside passes as it is. */
  private storeFailure(error: unknown): HttpException {
    if (error instanceof HttpException) return error;
    this.logger.error(
      `Session store failed: ${error instanceof Error ? error.message : String(error)}`,
    );
    return new SessionStoreUnavailableException();
  }

  private failure(failure: SessionFailure): HttpException {
    return new SessionUnauthorizedException(
      failure === 'expired' ? 'session_expired' : 'unauthorized',
    );
  }
}

function seconds(since: number): number {
  return (performance.now() - since) / 1000;
}
