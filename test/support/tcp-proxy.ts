import { createConnection, createServer, type Server, type Socket } from 'node:net';

/**
 * What the proxy does with traffic:
 * - `pass`: forwards both ways at once;
 * - `cut`: every open connection is closed at once and new ones are closed on accept (a dead
 *   server, as the app sees it). Plain destroy(), not resetAndDestroy(): on Node 20 a reset
 *   socket could keep its handle open and the test process alive;
 * - `delay`: every chunk, both ways, is held `ms` before it is forwarded (a slow or hung server).
 */
export type ProxyMode = { kind: 'pass' } | { kind: 'cut' } | { kind: 'delay'; ms: number };

interface Pending {
  chunk: Buffer;
  dueAt: number;
}

/**
 * A TCP proxy between the app and a backing service (PostgreSQL, Redis) that a test can cut or
 * slow down while the app runs, to see how the app behaves when the service fails — without
 * stopping the real service other tests use.
 *
 * @example
 * const proxy = await TcpProxy.start({ host: '127.0.0.1', port: 5432 });
 * // app → 127.0.0.1:proxy.port
 * proxy.cut(); …; proxy.pass();
 */
export class TcpProxy {
  private mode: ProxyMode = { kind: 'pass' };
  private readonly sockets = new Set<Socket>();

  private constructor(
    private readonly server: Server,
    private readonly target: { host: string; port: number },
  ) {
    server.on('connection', (client) => this.accept(client));
  }

  static async start(target: { host: string; port: number }): Promise<TcpProxy> {
    const server = createServer();
    const proxy = new TcpProxy(server, target);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    return proxy;
  }

  get port(): number {
    const address = this.server.address();
    if (address === null || typeof address === 'string') throw new Error('proxy not listening');
    return address.port;
  }

  /** Open client and upstream sockets (two per proxied connection). */
  get openSockets(): number {
    return this.sockets.size;
  }

  pass(): void {
    this.mode = { kind: 'pass' };
  }

  delay(ms: number): void {
    this.mode = { kind: 'delay', ms };
  }

  /** Closes every open connection; new ones are closed on accept until `pass()` or `delay()`. */
  cut(): void {
    this.mode = { kind: 'cut' };
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
  }

  async close(): Promise<void> {
    this.cut();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(client: Socket): void {
    if (this.mode.kind === 'cut') {
      client.destroy();
      return;
    }
    const upstream = createConnection(this.target);
    for (const socket of [client, upstream]) {
      this.sockets.add(socket);
      socket.setNoDelay(true);
      // Breaking connections is what this proxy is for: errors end the pair, they fail no test.
      socket.on('error', () => undefined);
      socket.on('close', () => {
        this.sockets.delete(socket);
        client.destroy();
        upstream.destroy();
      });
    }
    this.forward(client, upstream);
    this.forward(upstream, client);
  }

  /** Forwards `from` → `to` in order, each chunk held for the delay in force when it arrived. */
  private forward(from: Socket, to: Socket): void {
    const queue: Pending[] = [];
    let timer: NodeJS.Timeout | undefined;
    const pump = (): void => {
      timer = undefined;
      const now = Date.now();
      while (queue.length > 0 && queue[0].dueAt <= now) {
        const { chunk } = queue.shift() as Pending;
        if (!to.destroyed) to.write(chunk);
      }
      if (queue.length > 0) timer = setTimeout(pump, queue[0].dueAt - now);
    };
    from.on('data', (chunk: Buffer) => {
      const delayMs = this.mode.kind === 'delay' ? this.mode.ms : 0;
      // Behind earlier delayed chunks even when the mode is now `pass`: TCP keeps order.
      queue.push({ chunk, dueAt: Date.now() + delayMs });
      if (timer === undefined) pump();
    });
    from.on('end', () => {
      const finish = (): void => {
        if (to.destroyed) return;
        if (queue.length > 0) setTimeout(finish, 10);
        else to.end();
      };
      finish();
    });
    from.on('close', () => {
      clearTimeout(timer);
      queue.length = 0;
    });
  }
}
