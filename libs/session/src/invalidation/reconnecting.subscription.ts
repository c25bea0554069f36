import { Logger } from '@nestjs/common';
import { describeError, HEARTBEAT_MS, reconnectDelay } from './reconnect.timing';
import type { SessionInvalidationHandlers } from './session-invalidation.channel';

/** An open subscription: how to check it is alive, and how to close it. */
export interface OpenSubscription {
  ping(): Promise<unknown>;
  close(): Promise<void>;
}

/**
 * Keeps one subscription alive where the client cannot: `connect` opens it, calling `lost` when it
 * breaks; a heartbeat pings it. On loss the handlers hear "down" at once (so caches stop trusting themselves) and the
 * subscription is retried with backoff.
 */
export class ReconnectingSubscription {
  private readonly logger = new Logger('SessionInvalidation');
  private attempt = 0;
  private closed = false;
  private timer: NodeJS.Timeout | undefined;
  private disconnect: (() => Promise<void>) | undefined;

  constructor(
    private readonly handlers: SessionInvalidationHandlers,
    private readonly connect: (lost: (error: unknown) => void) => Promise<OpenSubscription>,
  ) {}

  async start(): Promise<void> {
    await this.open();
  }

  async stop(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    await this.disconnect?.().catch(() => undefined);
    this.handlers.onStateChange(false);
  }

  private async open(): Promise<void> {
    if (this.closed) return;
    let settled = false;
    const lost = (error: unknown) => {
      if (settled || this.closed) return;
      settled = true;
      this.handlers.onStateChange(false);
      this.logger.warn(`Invalidation channel lost: ${describeError(error)}; retrying`);
      void this.disconnect?.().catch(() => undefined);
      this.disconnect = undefined;
      this.retry();
    };
    try {
      const subscription = await this.connect(lost);
      if (settled || this.closed) {
        // Lost (or stopped) while connecting: close what was opened; a retry is already planned.
        await subscription.close().catch(() => undefined);
        return;
      }
      const heartbeat = this.heartbeat(subscription, lost);
      this.disconnect = () => {
        clearInterval(heartbeat);
        return subscription.close();
      };
      this.attempt = 0;
      this.handlers.onStateChange(true);
    } catch (error) {
      lost(error);
    }
  }

  private heartbeat(
    subscription: OpenSubscription,
    lost: (error: unknown) => void,
  ): NodeJS.Timeout {
    let waiting = false;
    const timer = setInterval(() => {
      if (waiting) return lost(new Error('heartbeat timed out'));
      waiting = true;
      subscription.ping().then(() => (waiting = false), lost);
    }, HEARTBEAT_MS);
    timer.unref();
    return timer;
  }

  private retry(): void {
    const delay = reconnectDelay(this.attempt);
    this.attempt += 1;
    this.timer = setTimeout(() => void this.open(), delay);
    this.timer.unref();
  }
}
