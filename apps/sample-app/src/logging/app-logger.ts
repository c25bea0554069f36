import {
  type DestinationStream,
  destination as pinoDestination,
  type Logger,
  pino,
  stdTimeFunctions,
} from 'pino';
import { build as prettyStream } from 'pino-pretty';
import type { LogFormat, LogLevel } from '../config/app-config';

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

/**
 * The app's one pino logger, for request lines and Nest's own lines alike: JSON lines (ISO times)
 * on stdout, or on `destination` (tests capture it); with `format` pretty, or auto on a terminal,
 * one readable line each (pino-pretty), for a developer's `npm start`. stdout is written
 * asynchronously: pino's default blocks on one write(2) per line, which under load cost more than
 * answering the request; asynchronously, lines that queue up behind a write in flight leave
 * together in the next one. pino flushes what is pending when the process exits.
 */
export function createAppLogger(
  level: LogLevel,
  destination?: DestinationStream,
  format: LogFormat = 'json',
): Logger {
  const options = {
    level,
    redact: { paths: REDACTED_PATHS },
    timestamp: stdTimeFunctions.isoTime,
  };
  if (destination !== undefined) return pino(options, destination);
  const pretty = format === 'pretty' || (format === 'auto' && process.stdout.isTTY === true);
  return pino(
    options,
    pretty
      ? prettyStream({
          colorize: process.stdout.isTTY === true,
          singleLine: true,
          translateTime: 'SYS:HH:MM:ss.l',
          // A request line reads `request completed GET /me 200 3ms user=…`.
          ignore: 'pid,hostname,context,req,res,route,responseTime',
          messageFormat:
            '{if context}[{context}] {end}{msg}{if req} {req.method} {req.url} {res.statusCode} {responseTime}ms{end}',
        })
      : pinoDestination({ dest: 1, sync: false }),
  );
}
