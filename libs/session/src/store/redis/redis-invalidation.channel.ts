import type { Cluster, Redis } from 'ioredis';
import { ReconnectingSubscription } from '../../invalidation/reconnecting.subscription';
import {
  decodeInvalidation,
  encodeInvalidation,
  INVALIDATION_TOPIC,
  type SessionInvalidation,
  SessionInvalidationChannel,
  type SessionInvalidationHandlers,
} from '../../invalidation/session-invalidation.channel';
import { RedisSubscription } from './redis-subscription';

/**
 * Invalidations over Redis pub/sub, on a duplicate of the store's client (a subscribed connection
 * can run nothing else).
 *
 * A standalone Redis reconnects through ioredis itself (`RedisSubscription`). A Cluster does not
 * tell when its subscriber connection drops or when its resubscription is done or has failed
 * (ioredis' `ClusterSubscriber` swallows both), so the cache could not know when to stop trusting
 * itself: there the subscriber is a Cluster client without reconnection, rebuilt whole by
 * `ReconnectingSubscription` after any loss.
 */
export class RedisInvalidationChannel extends SessionInvalidationChannel {
  private subscription: { stop(): Promise<void> | void } | undefined;
  private readonly topic: string;

  constructor(
    private readonly client: Redis | Cluster,
    prefix: string,
  ) {
    super();
    this.topic = `${prefix}:${INVALIDATION_TOPIC}`;
  }

  async subscribe(handlers: SessionInvalidationHandlers): Promise<void> {
    const subscription = isCluster(this.client)
      ? this.clusterSubscription(this.client, handlers)
      : new RedisSubscription(this.client, this.topic, handlers);
    this.subscription = subscription;
    await subscription.start();
  }

  async publish(invalidation: SessionInvalidation): Promise<void> {
    for (const message of encodeInvalidation(invalidation)) {
      await this.client.publish(this.topic, message);
    }
  }

  async close(): Promise<void> {
    await this.subscription?.stop();
  }

  private clusterSubscription(
    cluster: Cluster,
    handlers: SessionInvalidationHandlers,
  ): ReconnectingSubscription {
    return new ReconnectingSubscription(handlers, async (lost) => {
      const subscriber = cluster.duplicate(undefined, {
        lazyConnect: true,
        autoResubscribe: false,
        enableOfflineQueue: true,
        clusterRetryStrategy: () => null,
      });
      subscriber.on('error', lost);
      subscriber.on('close', () => lost(new Error('connection closed')));
      subscriber.on('message', (topic: string, message: string) => {
        if (topic === this.topic) handlers.onInvalidate(decodeInvalidation(message));
      });
      await subscriber.connect();
      await subscriber.subscribe(this.topic);
      return {
        ping: () => subscriber.ping(),
        close: () => {
          subscriber.disconnect();
          return Promise.resolve();
        },
      };
    });
  }
}

function isCluster(client: Redis | Cluster): client is Cluster {
  return 'isCluster' in client && client.isCluster;
}
