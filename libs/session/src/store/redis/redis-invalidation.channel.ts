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

/**
 * Invalidations over Redis pub/sub. The subscriber is a duplicate of the store's client (a
 * subscribed connection can run nothing else), with ioredis' own reconnection turned off so that
 * a loss is seen at once — the cache must stop trusting itself while messages may be missed —
 * and the subscription is rebuilt by `ReconnectingSubscription`.
 */
export class RedisInvalidationChannel extends SessionInvalidationChannel {
  private subscription: ReconnectingSubscription | undefined;
  private readonly topic: string;

  constructor(
    private readonly client: Redis | Cluster,
    prefix: string,
  ) {
    super();
    this.topic = `${prefix}:${INVALIDATION_TOPIC}`;
  }

  async subscribe(handlers: SessionInvalidationHandlers): Promise<void> {
    this.subscription = new ReconnectingSubscription(handlers, async (lost) => {
      const subscriber = this.duplicate();
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
    await this.subscription.start();
  }

  async publish(invalidation: SessionInvalidation): Promise<void> {
    for (const message of encodeInvalidation(invalidation)) {
      await this.client.publish(this.topic, message);
    }
  }

  async close(): Promise<void> {
    await this.subscription?.stop();
  }

  private duplicate(): Redis | Cluster {
    const overrides = { lazyConnect: true, autoResubscribe: false, enableOfflineQueue: true };
    if ('isCluster' in this.client && this.client.isCluster) {
      return (this.client as Cluster).duplicate(undefined, {
        ...overrides,
        clusterRetryStrategy: () => null,
      });
    }
    return (this.client as Redis).duplicate({ ...overrides, retryStrategy: () => null });
  }
}
