import type { Pool, PoolClient } from 'pg';

/**
 * The pool given to `@socket.io/postgres-adapter` (0.5, the latest), which checks out one client to
 * LISTEN on and never gives it back when that client's connection drops or its LISTEN fails: each
 * database blip would leak a slot until the fan-out stopped for good, and `pool.end()` at shutdown
 * would wait for ever (seen in the PostgreSQL outage test). Here the listening client is given back,
 * destroyed, in both cases, and at most one is out at a time, since a failed LISTEN makes the adapter
 * schedule two reconnections.
 */
export class ListenerPool {
  private listener: PoolClient | undefined;
  /** The listening client's own 'end' listeners (pg's, and the give-back), kept when destroying it. */
  private ownEndListeners: unknown[] = [];
  private closed = false;

  constructor(private readonly pool: Pool) {}

  /** The adapter's NOTIFYs, attachments and heartbeats: pg-pool releases these clients itself. */
  readonly query: Pool['query'] = ((...args: Parameters<Pool['query']>) =>
    this.pool.query(...args)) as Pool['query'];

  /** The adapter's listening client. */
  async connect(): Promise<PoolClient> {
    // After close, the adapter's last reconnection timer must neither get a client nor start another.
    if (this.closed) return new Promise<never>(() => undefined);
    this.destroy(this.listener);
    const client = await this.pool.connect();
    if (this.closed) {
      // end() came while this client was being acquired: pool.end() waits for it to come back.
      client.release(true);
      return new Promise<never>(() => undefined);
    }
    const { release, query } = client;
    let released = false;
    // Always destroyed, never back to the pool: a client that ran LISTEN keeps listening.
    const giveBack = () => {
      if (released) return;
      released = true;
      if (this.listener === client) this.listener = undefined;
      client.query = query;
      release(true);
    };
    client.release = giveBack;
    client.once('end', giveBack);
    this.ownEndListeners = client.listeners('end');
    // The adapter only runs LISTEN here, with a promise.
    const run = query.bind(client) as (...args: unknown[]) => Promise<unknown>;
    client.query = ((...args: unknown[]) =>
      // Its state is unknown after a failure (a timeout): destroy it; 'end' has the adapter reconnect.
      run(...args).catch((error: unknown) => {
        giveBack();
        throw error;
      })) as PoolClient['query'];
    this.listener = client;
    return client;
  }

  /** Once socket.io has closed: ends the listening client if the adapter still holds one. */
  async end(): Promise<void> {
    this.closed = true;
    this.destroy(this.listener);
    await this.pool.end();
  }

  /** Without telling the adapter (its 'end' listener), which has or will have a newer client. */
  private destroy(client: PoolClient | undefined): void {
    if (!client) return;
    for (const listener of client.listeners('end')) {
      if (!this.ownEndListeners.includes(listener))
        client.removeListener('end', listener as () => void);
    }
    client.release();
  }
}
