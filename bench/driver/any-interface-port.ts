import { createServer } from 'node:net';
import { BENCH_CLIENT_IP } from '../shared/bench-targets';

/** A port to give a server that listens on every interface, and how it will see the load. */
export interface AnyInterfacePort {
  port: number;
  /**
   * `req.ip` of a request from BENCH_CLIENT_IP. A server listening without a host (the sample
   * app's `app.listen(port)`) binds `::` where the machine has IPv6, and there an IPv4 client
   * arrives IPv4-mapped: 127.0.0.1 is `::ffff:127.0.0.1`.
   */
  clientIp: string;
}

/**
 * Binds port 0 the way the server will bind (no host), notes the port and the address family it
 * got, and lets the port go. Another process could take it in between; on a machine running only
 * the benchmark, none does.
 */
export async function anyInterfacePort(): Promise<AnyInterfacePort> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, resolve);
  });
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') {
    throw new Error('could not find a free port');
  }
  const mapped = address.family === 'IPv6';
  return { port: address.port, clientIp: mapped ? `::ffff:${BENCH_CLIENT_IP}` : BENCH_CLIENT_IP };
}
