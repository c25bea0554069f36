import { once } from 'node:events';
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { createAppLogger, REDACTED_PATHS } from './app-logger';
import { completedRequestsMiddleware } from '../platform/completed-requests';
import { requestLogWriter } from './request-log';

/** Collects what pino writes. */
function capture() {
  const raw: string[] = [];
  return {
    stream: { write: (line: string) => void raw.push(line) },
    text: () => raw.join(''),
    lines: () =>
      raw
        .join('')
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

/** Serves `status` through the middleware and sends one request carrying every credential. */
async function serveOnce(status: number, out: ReturnType<typeof capture>): Promise<void> {
  const logRequests = completedRequestsMiddleware(
    requestLogWriter(createAppLogger('info', out.stream)),
  );
  const server = createServer((request, response) =>
    logRequests(request, response, () => {
      response.statusCode = status;
      response.setHeader('Set-Cookie', 'sid=issued-secret; HttpOnly');
      response.end('ok');
    }),
  );
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  try {
    const { port } = server.address() as AddressInfo;
    const sent = httpRequest({
      port,
      path: '/me?x=1',
      headers: {
        Cookie: 'sid=cookie-secret',
        Authorization: 'Bearer bearer-secret',
        'X-CSRF-Token': 'csrf-secret',
      },
    });
    sent.end();
    const [response] = (await once(sent, 'response')) as [NodeJS.ReadableStream];
    response.resume();
    await once(response, 'end');
    await new Promise((resolve) => setTimeout(resolve, 10));
  } finally {
    server.close();
  }
}

describe('requestLogWriter', () => {
  it('writes one short line per request, with none of the credential headers', async () => {
    const out = capture();
    await serveOnce(200, out);
    for (const secret of ['cookie-secret', 'bearer-secret', 'csrf-secret', 'issued-secret']) {
      expect(out.text()).not.toContain(secret);
    }
    expect(out.lines()).toEqual([
      expect.objectContaining({
        level: 30,
        req: { id: 1, method: 'GET', url: '/me?x=1' },
        res: { statusCode: 200 },
        responseTime: expect.any(Number) as unknown,
        msg: 'request completed',
      }),
    ]);
  });

  it.each([
    [500, 50],
    [503, 40],
    [404, 30],
  ])('logs a %i at level %i', async (status, level) => {
    const out = capture();
    await serveOnce(status, out);
    expect(out.lines()).toEqual([expect.objectContaining({ level, res: { statusCode: status } })]);
  });
});

describe('REDACTED_PATHS', () => {
  it('redacts the credential headers of any line that does carry them', () => {
    const out = capture();
    const logger = pino({ redact: { paths: REDACTED_PATHS } }, out.stream);
    logger.info({
      req: { headers: { cookie: 'a', authorization: 'b', 'x-csrf-token': 'c', accept: '*/*' } },
      res: { headers: { 'set-cookie': 'd' } },
    });
    expect(out.lines()).toEqual([
      expect.objectContaining({
        req: {
          headers: {
            cookie: '[Redacted]',
            authorization: '[Redacted]',
            'x-csrf-token': '[Redacted]',
            accept: '*/*',
          },
        },
        res: { headers: { 'set-cookie': '[Redacted]' } },
      }),
    ]);
  });
});
