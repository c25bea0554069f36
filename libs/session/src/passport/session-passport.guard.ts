import { type ExecutionContext, Injectable } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import type { SessionResponse } from '../transport/http-response';

/**
 * Responses by request, for the strategy: passport hands a strategy the request only. Express
 * links its request to the response (`req.res`); Fastify's request knows no reply.
 */
const responses = new WeakMap<object, SessionResponse>();

/** The response of a request that went through SessionPassportGuard (or Express' own link). */
export function passportResponseOf(request: object): SessionResponse | undefined {
  return responses.get(request) ?? (request as { res?: SessionResponse }).res;
}

/**
 * `AuthGuard('session')` that also works on Fastify: it tells the strategy the request's
 * response, so a rotated cookie and `Cache-Control: no-store` reach the client on either platform
 * (plain `AuthGuard('session')` has only Express' `req.res` to go by).
 *
 * @publicApi
 * @example \@Public() \@UseGuards(SessionPassportGuard) \@Get('me') me(\@CurrentSession() s: Session) {}
 */
@Injectable()
export class SessionPassportGuard extends AuthGuard('session') {
  override canActivate(context: ExecutionContext) {
    const http = context.switchToHttp();
    const request: unknown = http.getRequest();
    const response: unknown = http.getResponse();
    if (
      typeof request === 'object' &&
      request !== null &&
      typeof response === 'object' &&
      response !== null
    ) {
      responses.set(request, response);
    }
    return super.canActivate(context);
  }
}
