import {
  decodeInvalidation,
  encodeInvalidation,
  INVALIDATION_TOPIC,
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
 */
export class PgNotifyInvalidationChannel extends SessionInvalidationChannel {
  private subscription: ReconnectingSubscription | undefined;

  constructor(private readonly pool: PgListenPool) {
    super();
  }

  async subscribe(handlers: SessionInvalidationHandlers): Promise<void> {
    this.subscription = new ReconnectingSubscription(handlers, async (lost) => {
      // Named, so operators (and tests) can tell the listening connection apart.
      const client = new this.pool.Client({
        ...(this.pool.options as object),
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
    for (const message of encodeInvalidation(invalidation)) {
      await this.pool.query('SELECT pg_notify($1, $2)', [INVALIDATION_TOPIC, message]);
    }
  }

  async close(): Promise<void> {
    await this.subscription?.stop();
  }
}
