import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import {
  type SessionInvalidation,
  SessionInvalidationChannel,
  type SessionInvalidationHandlers,
} from './session-invalidation.channel';

/**
 * The one subscription of this instance to the invalidation channel, shared by whoever listens
 * (the validation cache, the socket watcher). It runs whether or not the cache is on, so a
 * session that ends on one instance closes the sockets of every other; messages carry public
 * session ids only.
 */
@Injectable()
export class SessionInvalidationHub implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('SessionInvalidation');
  private readonly listeners = new Set<SessionInvalidationHandlers>();
  private up = false;

  constructor(private readonly channel: SessionInvalidationChannel) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.channel.subscribe({
      onInvalidate: (invalidation) => {
        for (const listener of this.listeners) listener.onInvalidate(invalidation);
      },
      onStateChange: (up) => {
        this.up = up;
        for (const listener of this.listeners) listener.onStateChange(up);
      },
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.channel.close();
  }

  /** Adds a listener; it hears the channel's current state at once. Returns how to remove it. */
  listen(listener: SessionInvalidationHandlers): () => void {
    this.listeners.add(listener);
    listener.onStateChange(this.up);
    return () => this.listeners.delete(listener);
  }

  /** Tells every instance (this one included) that these sessions changed or ended. */
  publish(invalidation: SessionInvalidation): void {
    if (invalidation !== 'all' && invalidation.length === 0) return;
    this.channel.publish(invalidation).catch((error: unknown) => {
      // The change is in the store; other instances may serve their cached copy until its ttl.
      this.logger.error(
        `Could not broadcast an invalidation: ${error instanceof Error ? error.message : String(error)}`,
      );
    });
  }
}
