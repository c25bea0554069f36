import type { ExecutionContext, Type } from '@nestjs/common';
import type { Request } from 'express';
import { FakeResponse } from './fake-response';

/** The host the fake requests are sent to, and the origin of the app itself. */
export const APP_HOST = 'app.example.com';
export const APP_ORIGIN = `https://${APP_HOST}`;

export interface FakeRequestInit {
  method?: string;
  /** Header names are lower-cased as Node does; `host` defaults to `APP_HOST`. */
  headers?: Record<string, string | undefined>;
  ip?: string;
  protocol?: 'http' | 'https';
}

/**
 * A request carrying only what the guard, the decorators and the CSRF check read:
 * method, headers, ip and protocol.
 */
export function makeRequest(init: FakeRequestInit = {}): Request {
  const headers: Record<string, string> = { host: APP_HOST };
  for (const [name, value] of Object.entries(init.headers ?? {})) {
    if (value !== undefined) headers[name.toLowerCase()] = value;
  }
  const request = {
    method: init.method ?? 'GET',
    headers,
    ip: init.ip ?? '203.0.113.7',
    protocol: init.protocol ?? 'https',
  };
  return request as unknown as Request;
}

type Handler = (...args: never[]) => unknown;

export interface ContextTarget {
  /** The route handler, e.g. `Controller.prototype.method`, read by `Reflector`. */
  handler?: Handler;
  /** The controller or resolver class. */
  class?: Type<unknown>;
  response?: FakeResponse;
}

class AnonymousController {
  handle(): void {}
}

/** An HTTP `ExecutionContext`: arguments `[request, response, next]`. */
export function httpContext(request: Request, target: ContextTarget = {}): ExecutionContext {
  const next = (): void => {};
  return buildContext('http', [request, target.response ?? new FakeResponse(), next], target);
}

/**
 * A GraphQL `ExecutionContext` as `@nestjs/graphql` builds it: resolver arguments
 * `[root, args, context, info]`, the request and response in `context.req`/`context.res`.
 * `switchToHttp()` returns root and args, as Nest's does, so code that forgets the GraphQL case
 * does not find the request by accident.
 */
export function graphqlContext(request: Request, target: ContextTarget = {}): ExecutionContext {
  const gqlContext = { req: request, res: target.response };
  return buildContext('graphql', [{}, {}, gqlContext, { fieldName: 'field' }], target);
}

/** A socket.io client as far as the guard reads it: its handshake. */
export interface FakeSocket {
  handshake: { headers: Record<string, string>; address: string; auth: Record<string, unknown> };
}

/** A socket.io client whose handshake presented these headers (`host` defaults to `APP_HOST`). */
export function makeSocket(
  headers: Record<string, string> = {},
  auth: Record<string, unknown> = {},
): FakeSocket {
  return { handshake: { headers: { host: APP_HOST, ...headers }, address: '203.0.113.7', auth } };
}

/** A `ws` ExecutionContext as Nest's gateways build it: arguments `[client, data]`. */
export function wsContext(client: object, target: ContextTarget = {}): ExecutionContext {
  return buildContext('ws', [client, { message: 'hello' }], target);
}

/** An `rpc` ExecutionContext (a microservice message): arguments `[data, context]`. */
export function rpcContext(target: ContextTarget = {}): ExecutionContext {
  return buildContext('rpc', [{ pattern: 'sum' }, {}], target);
}

function buildContext(type: string, args: unknown[], target: ContextTarget): ExecutionContext {
  const handler = target.handler ?? AnonymousController.prototype.handle;
  const cls = target.class ?? AnonymousController;
  const unsupported = (): never => {
    throw new Error(`switching a ${type} test context to another transport is not supported`);
  };
  const context = {
    getType: () => type,
    getClass: () => cls,
    getHandler: () => handler,
    getArgs: () => args,
    getArgByIndex: (index: number) => args[index],
    switchToHttp: () => ({
      getRequest: () => args[0],
      getResponse: () => args[1],
      getNext: () => args[2],
    }),
    switchToRpc:
      type === 'rpc' ? () => ({ getData: () => args[0], getContext: () => args[1] }) : unsupported,
    switchToWs:
      type === 'ws'
        ? () => ({ getClient: () => args[0], getData: () => args[1], getPattern: () => 'message' })
        : unsupported,
  };
  return context as unknown as ExecutionContext;
}
