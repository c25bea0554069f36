import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { destination } from 'pino';
import type { LogLineResult } from '../shared/bench-targets';
import { createAppLogger } from '../../apps/sample-app/src/logging/app-logger';
import { requestLogWriter } from '../../apps/sample-app/src/logging/request-log';
import { completedRequestsMiddleware } from '../../apps/sample-app/src/platform/completed-requests';
import { attachAuthentication } from '../../libs/session/src/pipeline/session-request';
import type { Session } from '../../libs/session/src/session.interface';

const LINES = 200_000;

/**
 * The sample app's request log line on its own: its middleware and logger (redaction included)
 * write LINES lines for a `GET /me` that finished, to /dev/null through the same asynchronous
 * destination the app uses for stdout. CPU of the whole process per line.
 */
export async function runLogLineBenchmark(): Promise<LogLineResult> {
  let bytes = 0;
  const sink = destination({ dest: '/dev/null', sync: false });
  const counted = {
    write: (line: string) => {
      bytes += Buffer.byteLength(line);
      return sink.write(line);
    },
  };
  const logRequest = completedRequestsMiddleware(
    requestLogWriter(createAppLogger('info', counted)),
  );
  const request = {
    method: 'GET',
    url: '/me',
    originalUrl: '/me',
    route: { path: '/me' },
  } as unknown as IncomingMessage;
  // Signed in, so the line names its user and session as the app's lines do.
  const session = { id: randomUUID(), userId: randomUUID() } as Session;
  attachAuthentication(request, { session, via: 'cookie', user: undefined });
  // A finished response: the middleware reads statusCode and writableFinished on 'close'.
  const listeners: Array<() => void> = [];
  const response = {
    statusCode: 200,
    writableFinished: true,
    once: (_event: string, listener: () => void) => listeners.push(listener),
  } as unknown as ServerResponse;

  const started = process.cpuUsage();
  for (let i = 0; i < LINES; i++) {
    logRequest(request, response, () => undefined);
    listeners.pop()?.();
    // Let the destination write now and then, as the event loop does between requests.
    if (i % 1000 === 0) await new Promise((resolve) => setImmediate(resolve));
  }
  sink.flush();
  sink.end();
  await once(sink, 'close');
  const used = process.cpuUsage(started);
  return {
    lines: LINES,
    cpuMicrosPerLine: (used.user + used.system) / LINES,
    bytesPerLine: bytes / LINES,
  };
}
