import type { IncomingMessage, ServerResponse } from 'node:http';

/** A request the app has answered (or the client gave up on), the same on either platform. */
export interface CompletedRequest {
  id: unknown;
  method: string | undefined;
  url: string | undefined;
  /** The matched route template (`/sessions/:id`), or undefined when no route matched. */
  route: string | undefined;
  statusCode: number;
  responseTimeMs: number;
  /** The request object the session guard saw (Express' request, Fastify's wrapper). */
  request: object;
  /** False when the client went away before the response was complete. */
  finished: boolean;
}

/** Told about every completed request: the request log line, the HTTP metrics. */
export type RequestObserver = (completed: CompletedRequest) => void;

/** Several observers as one. */
export function observeAll(...observers: RequestObserver[]): RequestObserver {
  return (completed) => {
    for (const observe of observers) observe(completed);
  };
}

type ExpressRequest = IncomingMessage & { originalUrl?: string; route?: { path?: unknown } };

/** Express: a middleware, first in the chain, that reports each request once its response is done. */
export function completedRequestsMiddleware(observe: RequestObserver) {
  let lastId = 0;
  return (request: ExpressRequest, response: ServerResponse, next: () => void): void => {
    const id = ++lastId;
    const started = performance.now();
    response.once('close', () =>
      observe({
        id,
        method: request.method,
        url: request.originalUrl ?? request.url,
        route: typeof request.route?.path === 'string' ? request.route.path : undefined,
        statusCode: response.statusCode,
        responseTimeMs: performance.now() - started,
        request,
        finished: response.writableFinished,
      }),
    );
    next();
  };
}

/** The parts of Fastify's request and reply read here (no fastify types needed). */
interface FastifyRequestLike {
  id: unknown;
  method: string;
  url: string;
  routeOptions?: { url?: string };
}
interface FastifyReplyLike {
  statusCode: number;
  elapsedTime: number;
  raw: ServerResponse;
}

/** Fastify: an `onResponse` hook (Fastify's own request id, route and timing). */
export function completedRequestsHook(observe: RequestObserver) {
  return (request: FastifyRequestLike, reply: FastifyReplyLike, done: () => void): void => {
    observe({
      id: request.id,
      method: request.method,
      url: request.url,
      route: request.routeOptions?.url,
      statusCode: reply.statusCode,
      responseTimeMs: reply.elapsedTime,
      request,
      finished: reply.raw.writableFinished,
    });
    done();
  };
}
