import type { ExecutionContext } from '@nestjs/common';
import type { SessionResponse } from '../transport/http-response';
import type { SessionRequest } from './session-request';

/** The request (and response, when there is one) behind an execution context. */
export interface ContextRequest {
  request: SessionRequest;
  response: SessionResponse | undefined;
}

/**
 * Thrown for a context the guard cannot read a request from (`rpc`, a GraphQL context without
 * `req`): the request is refused, never let through, and the message says what to do.
 */
export class UnsupportedSessionContextError extends Error {
  constructor(type: string, detail: string) {
    super(`SessionGuard cannot authenticate a "${type}" context: ${detail}`);
    this.name = 'UnsupportedSessionContextError';
  }
}

/**
 * The HTTP request of plain HTTP, or the `req` that GraphQL puts in its context (third resolver
 * argument) — read without importing @nestjs/graphql. Anything else fails closed.
 */
export function requestOf(context: ExecutionContext): ContextRequest {
  const type = context.getType<string>();
  if (type === 'http') {
    const http = context.switchToHttp();
    return {
      request: http.getRequest<SessionRequest>(),
      response: http.getResponse<SessionResponse>(),
    };
  }
  if (type === 'graphql') {
    const gql = context.getArgByIndex<
      { req?: SessionRequest & { res?: SessionResponse }; res?: SessionResponse } | undefined
    >(2);
    if (gql?.req?.headers === undefined) {
      throw new UnsupportedSessionContextError(
        type,
        'the GraphQL context has no "req"; return { req, res } from the driver\'s context factory.',
      );
    }
    return { request: gql.req, response: gql.res ?? gql.req.res };
  }
  throw new UnsupportedSessionContextError(
    type,
    'only HTTP and GraphQL requests carry a session cookie or bearer header; override ' +
      'SessionGuard.getRequest() to read one from this transport.',
  );
}
