import type { IncomingMessage, ServerResponse } from 'node:http';
import { getRequestSession } from '@app/session';
import type { Level, Logger } from 'pino';

/** What a request line says, on either platform. */
interface RequestLine {
  id: unknown;
  method: string | undefined;
  url: string | undefined;
  route: string | undefined;
  statusCode: number;
  responseTimeMs: number;
  /** The request object the session guard saw (Express' request, Fastify's wrapper). */
  request: object;
  /** False when the client went away before the response was complete. */
  finished: boolean;
}

/** A 5xx is an `error` line, except 503: a backing-service outage, one `warn` per refused request. */
function levelOf(statusCode: number, finished: boolean): Level {
  if (statusCode === 503 || !finished) return 'warn';
  return statusCode >= 500 ? 'error' : 'info';
}

/**
 * One short JSON line per request: request id, method, url, matched route, status, duration in
 * ms, and who asked (user and session id, never a token). No header maps and no bodies: bodies
 * hold passwords, headers credentials.
 *
 * Written here rather than with pino-http (and nestjs-pino): `npm run bench` with BENCH_PROFILE=1
 * measured those at about 60 µs of CPU per request for the same line (a child logger and three
 * listeners per request, and an AsyncLocalStorage context, which on Node 20 taxes every promise),
 * against about 10 µs here (BENCHMARKS.md: 9.3 µs); the app has no use for a request-scoped logger.
 */
function writeRequestLine(logger: Logger, line: RequestLine): void {
  const level = levelOf(line.statusCode, line.finished);
  if (!logger.isLevelEnabled(level)) return;
  const session = getRequestSession(line.request);
  logger[level](
    {
      req: { id: line.id, method: line.method, url: line.url },
      route: line.route,
      res: { statusCode: line.statusCode },
      responseTime: Math.round(line.responseTimeMs),
      userId: session?.userId,
      sessionId: session?.id,
    },
    line.finished ? 'request completed' : 'request aborted',
  );
}

type ExpressRequest = IncomingMessage & { originalUrl?: string; route?: { path?: unknown } };

/** Express: a middleware, first in the chain, that writes the line once the response is done. */
export function requestLogMiddleware(logger: Logger) {
  let lastId = 0;
  return (request: ExpressRequest, response: ServerResponse, next: () => void): void => {
    const id = ++lastId;
    const started = performance.now();
    response.once('close', () =>
      writeRequestLine(logger, {
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

/** The parts of Fastify's request and reply the line reads (no fastify types needed here). */
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
export function requestLogHook(logger: Logger) {
  return (request: FastifyRequestLike, reply: FastifyReplyLike, done: () => void): void => {
    writeRequestLine(logger, {
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
