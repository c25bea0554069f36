import {
  decodeInvalidation,
  encodeInvalidation,
  INVALIDATION_TOPIC,
  LocalInvalidationChannel,
  type SessionInvalidation,
  SessionInvalidationChannel,
  type SessionInvalidationHandlers,
} from '../../invalidation/session-invalidation.channel';
import { ReconnectingSubscription } from '../../invalidation/reconnecting.subscription';
import type { PgPool } from './pg.queryable';

/** A dedicated node-postgres client, as the pool would create one. */
interface ListeningClient {
  connect(): Promise<void>;
  query(text: string): Promise<unknown>;
  end(): Promise<void>;
  on(
    event: 'notification',
    listener: (message: { channel: string; payload?: string }) => void,
  ): void;
  on(event: 'error' | 'end', listener: (error?: Error) => void): void;
}

export const LISTENER_APPLICATION_NAME = 'nest-session-invalidation';

export interface PgListenPool extends PgPool {
  Client: new (options: unknown) => ListeningClient;
  options: unknown;
}

/**
 * Invalidations over PostgreSQL LISTEN/NOTIFY. Publishing is a `pg_notify` on the pool; listening
 * uses one dedicated connection (LISTEN is per connection, and a pooled one would be handed to
 * other queries), pinged by `ReconnectingSubscription` and reopened after a failure.
 *
 * A pool that cannot open dedicated connections — the embedded database's, owned by a single
 * process — gets the in-process channel instead.
 */
export class PgNotifyInvalidationChannel extends SessionInvalidationChannel {
  private subscription: ReconnectingSubscription | undefined;
  private local: LocalInvalidationChannel | undefined;

  /** @param pool the pool, or a function returning it once the DataSource is initialized */
  constructor(private readonly pool: PgPool | (() => PgPool)) {
    super();
  }

  async subscribe(handlers: SessionInvalidationHandlers): Promise<void> {
    const pool = this.resolvePool();
    if (!isListenPool(pool)) {
      this.local = new LocalInvalidationChannel();
      return this.local.subscribe(handlers);
    }
    this.subscription = new ReconnectingSubscription(handlers, async (lost) => {
      // Named, so operators (and tests) can tell the listening connection apart.
      const client = new pool.Client({
        ...(pool.options as object),
        application_name: LISTENER_APPLICATION_NAME,
      });
      client.on('error', lost);
      client.on('end', () => lost(new Error('connection ended')));
      client.on('notification', (message) => {
        if (message.channel === INVALIDATION_TOPIC && message.payload !== undefined) {
          handlers.onInvalidate(decodeInvalidation(message.payload));
        }
      });
      await client.connect();
      await client.query(`LISTEN ${INVALIDATION_TOPIC}`);
      return { ping: () => client.query('SELECT 1'), close: () => client.end() };
    });
    await this.subscription.start();
  }

  async publish(invalidation: SessionInvalidation): Promise<void> {
    if (this.local) return this.local.publish(invalidation);
    const pool = this.resolvePool();
    for (const message of encodeInvalidation(invalidation)) {
      await pool.query('SELECT pg_notify($1, $2)', [INVALIDATION_TOPIC, message]);
    }
  }

  async close(): Promise<void> {
    await this.local?.close();
    await this.subscription?.stop();
  }

  private resolvePool(): PgPool {
    return typeof this.pool === 'function' ? this.pool() : this.pool;
  }
}

function isListenPool(pool: PgPool): pool is PgListenPool {
  return typeof (pool as Partial<PgListenPool>).Client === 'function';
}
