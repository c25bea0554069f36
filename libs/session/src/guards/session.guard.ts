import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { errorForContext } from '../errors/context-errors';
import type { ResolvedSessionOptions } from '../options/resolved-session-options.interface';
import { type ContextRequest, requestOf } from '../pipeline/execution-context.request';
import { carrierOf, linkCarrier } from '../pipeline/context-carrier';
import { SessionAuthenticator } from '../pipeline/session.authenticator';
import { markPublic, requestAuthentication } from '../pipeline/session-request';
import { IS_PUBLIC_KEY, SESSION_RESOLVED_OPTIONS } from '../session.constants';

/**
 * Admits a request only with a live session, read from the cookie or a bearer header; attaches
 * it for `@CurrentSession()`. Unsafe cookie requests must pass the CSRF check. Store failures
 * answer 503: the guard fails closed, never letting a request through unchecked. The work is
 * `SessionAuthenticator`'s; this class adds `@Public()` and reads the request off the context.
 *
 * Works in `http`, `graphql` (the cookie or bearer of the GraphQL request; one validation per
 * operation) and `ws` contexts (a socket.io message is re-validated with its handshake's
 * credentials, so a revoked session stops at the next message). Refusals come in the context's
 * own error kind — HttpException, GraphQLError, WsException, RpcException; `rpc` and unknown
 * contexts are always refused.
 *
 * @publicApi
 * @example
 * \@UseGuards(SessionGuard) \@Get('me') me(\@CurrentSession() session: Session) {}
 * // or globally: { provide: APP_GUARD, useClass: SessionGuard } with @Public() opt-outs
 */
@Injectable()
export class SessionGuard implements CanActivate {
  /** handler → controller class → whether the route is `@Public()`. */
  private readonly publicRoutes = new WeakMap<object, WeakMap<object, boolean>>();

  constructor(
    private readonly reflector: Reflector,
    private readonly authenticator: SessionAuthenticator,
    @Inject(SESSION_RESOLVED_OPTIONS) private readonly options: ResolvedSessionOptions,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (this.isPublic(context)) {
      markPublic(carrierOf(context));
      return true;
    }
    const type = context.getType<string>();
    if (type === 'http') return this.admit(context, type);
    try {
      return await this.admit(context, type);
    } catch (error) {
      throw await errorForContext(type, error);
    }
  }

  /**
   * The request (and response) to authenticate. Override for a transport whose request sits
   * elsewhere in the context; the default reads HTTP, GraphQL and socket.io and refuses anything
   * else.
   */
  protected getRequest(context: ExecutionContext): ContextRequest {
    return requestOf(context);
  }

  private async admit(context: ExecutionContext, type: string): Promise<boolean> {
    const { request, response } = this.getRequest(context);
    // The fields of one GraphQL operation share its request: the first one's validation holds.
    const done = type === 'graphql' ? requestAuthentication(request) : undefined;
    const authentication =
      done ??
      (await this.authenticator.authenticate(
        request,
        response,
        type === 'ws' ? { renew: this.options.socketActivityRenews } : undefined,
      ));
    // Decorators find the session through the context's own argument, whatever getRequest read.
    linkCarrier(carrierOf(context), authentication);
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
}
