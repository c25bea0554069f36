import type { ExecutionContext } from '@nestjs/common';
import type { SessionResponse } from '../transport/http-response';
import type { SessionRequest } from './session-request';
import { socketRequestOf } from './socket-request';

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
 * The HTTP request of plain HTTP, the `req` that GraphQL puts in its context (third resolver
 * argument), or a socket.io client's handshake — read without importing any of those packages.
 * Anything else fails closed.
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
  if (type === 'ws') {
    const request = socketRequestOf(context.switchToWs().getClient<unknown>());
    if (request === undefined) {
      throw new UnsupportedSessionContextError(
        type,
        'the client is not a socket.io socket (no handshake); override SessionGuard.getRequest() ' +
          'to read the handshake of this WebSocket library.',
      );
    }
    return { request, response: undefined };
  }
  throw new UnsupportedSessionContextError(
    type,
    'only HTTP, GraphQL and socket.io requests carry a session cookie or bearer header; override ' +
      'SessionGuard.getRequest() to read one from this transport.',
  );
}
