import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Options } from 'pino-http';
import type { LogLevel } from '../config/app-config';

/**
 * Headers that carry a credential. The session token travels in `Cookie` (browsers) or
 * `Authorization` (API clients) and is issued in `Set-Cookie`: a log holding one is a session anyone
 * who reads the log can take over, and logs are read by far more people and systems than the
 * session table. The CSRF token is per-session too. pino replaces each with "[Redacted]".
 */
export const REDACTED_PATHS = [
  'req.headers.cookie',
  'req.headers.authorization',
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
];

/**
 * pino-http's options for the app. Request bodies are never logged (pino-http's request serializer
 * has no body, and none is added): they hold passwords. A 5xx is an `error` line, except 503 — a
 * backing-service outage, one `warn` per refused request, not a bug.
 */
export function pinoHttpOptions(level: LogLevel): Options<IncomingMessage, ServerResponse> {
  return {
    level,
    redact: { paths: REDACTED_PATHS },
    customLogLevel: (_request, response, error) => {
      if (response.statusCode === 503) return 'warn';
      if (error !== undefined || response.statusCode >= 500) return 'error';
      return 'info';
    },
  };
}
