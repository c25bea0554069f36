import { Logger } from '@nestjs/common';
import type { SessionInvalidationHandlers } from './session-invalidation.channel';

/** Retry delays after a lost subscription, capped: the channel heals by itself. */
const BACKOFF_MS = [100, 250, 500, 1000, 2000, 5000];

/**
 * Keeps one subscription alive: `connect` opens it and resolves with a function that closes it,
 * calling `lost` when it breaks. On loss the handlers hear "down" at once (so caches stop
 * trusting themselves) and the subscription is retried with backoff.
 */
export class ReconnectingSubscription {
  private readonly logger = new Logger('SessionInvalidation');
  private attempt = 0;
  private closed = false;
  private timer: NodeJS.Timeout | undefined;
  private disconnect: (() => Promise<void>) | undefined;

  constructor(
    private readonly handlers: SessionInvalidationHandlers,
    private readonly connect: (lost: (error: unknown) => void) => Promise<() => Promise<void>>,
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
      this.logger.warn(`Invalidation channel lost: ${describe(error)}; retrying`);
      void this.disconnect?.().catch(() => undefined);
      this.disconnect = undefined;
      this.retry();
    };
    try {
      this.disconnect = await this.connect(lost);
      if (settled) return;
      this.attempt = 0;
      this.handlers.onStateChange(true);
    } catch (error) {
      lost(error);
    }
  }

  private retry(): void {
    const delay = BACKOFF_MS[Math.min(this.attempt, BACKOFF_MS.length - 1)];
    this.attempt += 1;
    this.timer = setTimeout(() => void this.open(), delay);
    this.timer.unref();
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
