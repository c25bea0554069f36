import { Logger } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { describeError, HEARTBEAT_MS, reconnectDelay } from '../../invalidation/reconnect.timing';
import {
  decodeInvalidation,
  type SessionInvalidationHandlers,
} from '../../invalidation/session-invalidation.channel';

/**
 * One topic subscription on a standalone Redis, kept alive by ioredis' own reconnection
 * (`retryStrategy`). The channel reports "down" on `close` at once — the cache must stop trusting
 * itself while messages may be missed — and "up" only when Redis has confirmed the subscription
 * again. ioredis' `autoResubscribe` is off because it tells nobody when it is done: the
 * subscription is renewed on each `ready` and the reply awaited. A heartbeat PING finds a silent
 * network cut and hands the connection back to ioredis to reconnect.
 */
export class RedisSubscription {
  private readonly logger = new Logger('SessionInvalidation');
  private readonly subscriber: Redis;
  private heartbeat: NodeJS.Timeout | undefined;
  private subscribed: Promise<void> = Promise.resolve();
  private up = false;
  private closed = false;

  constructor(
    client: Redis,
    private readonly topic: string,
    private readonly handlers: SessionInvalidationHandlers,
  ) {
    this.subscriber = client.duplicate({
      lazyConnect: true,
      autoResubscribe: false,
      enableOfflineQueue: false,
      retryStrategy: (times) => reconnectDelay(times - 1),
    });
    this.subscriber.on('message', (channel: string, message: string) => {
      if (channel === this.topic) handlers.onInvalidate(decodeInvalidation(message));
    });
    this.subscriber.on('ready', () => {
      this.subscribed = this.renew();
    });
    this.subscriber.on('close', () => this.lost('connection closed'));
    // Every failure also closes the connection, which is where it is handled.
    this.subscriber.on('error', () => undefined);
  }

  async start(): Promise<void> {
    // A first failure is not fatal: ioredis keeps retrying, and the cache stays off meanwhile.
    await this.subscriber.connect().catch(() => undefined);
    await this.subscribed;
  }

  stop(): void {
    this.closed = true;
    this.stopHeartbeat();
    this.subscriber.disconnect();
    this.setUp(false);
  }

  private async renew(): Promise<void> {
    try {
      await this.subscriber.subscribe(this.topic);
    } catch (error) {
      // The connection is going away (its `close` follows) or Redis refused the subscription.
      this.logger.warn(`Could not subscribe to invalidations: ${describeError(error)}`);
      return;
    }
    if (this.closed) return;
    this.setUp(true);
    this.startHeartbeat();
  }

  private lost(reason: string): void {
    this.stopHeartbeat();
    if (this.closed || !this.up) return;
    this.setUp(false);
    this.logger.warn(`Invalidation channel lost: ${reason}; retrying`);
  }

  private startHeartbeat(): void {
    let waiting = false;
    this.heartbeat = setInterval(() => {
      if (waiting) {
        this.lost('heartbeat timed out');
        this.subscriber.disconnect(true);
        return;
      }
      waiting = true;
      this.subscriber.ping().then(
        () => (waiting = false),
        () => undefined, // a failed ping means a closing connection: `close` reports it
      );
    }, HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  private stopHeartbeat(): void {
    clearInterval(this.heartbeat);
    this.heartbeat = undefined;
  }

  private setUp(up: boolean): void {
    if (this.up === up) return;
    this.up = up;
    this.handlers.onStateChange(up);
  }
}
