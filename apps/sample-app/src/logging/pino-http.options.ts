import type { IncomingMessage, ServerResponse } from 'node:http';
import { getRequestSession } from '@app/session';
import { stdSerializers } from 'pino';
import type { Options } from 'pino-http';
import type { LogLevel } from '../config/app-config';

/**
 * Headers that carry a credential. The session token travels in `Cookie` (browsers) or
 * `Authorization` (API clients) and is issued in `Set-Cookie`: a log holding one is a session anyone
 * who reads the log can take over, and logs are read by far more people and systems than the
 * session table. The CSRF token is per-session too. Request lines carry no headers at all; these
 * paths are the second line of defence for any line that does (an error with its request, say):
 * pino replaces each with "[Redacted]".
 */
export const REDACTED_PATHS = [
  'req.headers.cookie',
  'req.headers.authorization',
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
];

type Request = IncomingMessage & { id?: unknown; originalUrl?: string; route?: { path?: unknown } };

/**
 * The request as a line shows it: what an operator reads, not the header maps (with helmet's
 * headers those made a ~2 KB line per request, the single largest cost of serving `GET /me`).
 * Request bodies are never logged: they hold passwords.
 */
function requestFields(request: Request): Record<string, unknown> {
  return { id: request.id, method: request.method, url: request.originalUrl ?? request.url };
}

function responseFields(response: ServerResponse): Record<string, unknown> {
  return { statusCode: response.statusCode };
}

/** The matched route and who asked: ids only, never a token. */
function contextFields(request: Request): Record<string, unknown> {
  const session = getRequestSession(request);
  return {
    route: typeof request.route?.path === 'string' ? request.route.path : undefined,
    userId: session?.userId,
    sessionId: session?.id,
  };
}

/**
 * pino-http's options for the app: one short line per request. A 5xx is an `error` line, except 503
 * — a backing-service outage, one `warn` per refused request, not a bug.
 */
export function pinoHttpOptions(level: LogLevel): Options<IncomingMessage, ServerResponse> {
  return {
    level,
    redact: { paths: REDACTED_PATHS },
    // The serializers get the raw objects: pino-http's wrapped ones would first copy every header.
    wrapSerializers: false,
    serializers: { req: requestFields, res: responseFields, err: stdSerializers.err },
    // Added to the finished line itself, not through a child logger per request.
    customSuccessObject: (request, _response, line: object) => ({
      ...line,
      ...contextFields(request),
    }),
    customErrorObject: (request, _response, _error, line: object) => ({
      ...line,
      ...contextFields(request),
    }),
    customLogLevel: (_request, response, error) => {
      if (response.statusCode === 503) return 'warn';
      if (error !== undefined || response.statusCode >= 500) return 'error';
      return 'info';
    },
  };
}
