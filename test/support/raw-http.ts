import { Agent, request } from 'node:http';
import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { TestApp } from './test-app';

export interface RawResponse {
  status: number;
  contentType: string | undefined;
  body: string;
}

/** A keep-alive client: thousands of property-test requests without a socket each. */
export function rawClient(app: TestApp) {
  const { port } = app.app.getHttpServer().address() as AddressInfo;
  const agent = new Agent({ keepAlive: true, maxSockets: 4 });
  return {
    get(path: string, headers: Record<string, string>): Promise<RawResponse> {
      return new Promise((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port, path, headers, agent }, (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (body += chunk));
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              contentType: res.headers['content-type'],
              body,
            }),
          );
        });
        req.on('error', reject);
        req.end();
      });
    },
    close: () => agent.destroy(),
  };
}

/** Writes bytes HTTP clients refuse to send (a NUL in a header) and returns the status line. */
export function sendRawBytes(app: TestApp, bytes: Buffer): Promise<string> {
  const { port } = app.app.getHttpServer().address() as AddressInfo;
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.end(bytes));
    let received = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => (received += chunk));
    socket.on('end', () => resolve(received.split('\r\n')[0]));
    socket.on('error', reject);
  });
}
