import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { Clock } from '../clock/clock';
import {
  type SessionInvalidation,
  SessionInvalidationChannel,
} from '../invalidation/session-invalidation.channel';
import type { ResolvedSessionOptions } from '../options/resolved-session-options.interface';
import { SESSION_RESOLVED_OPTIONS } from '../session.constants';
import type { SessionRecord } from '../store/session.record';
import { type CachedSession, SessionCache } from './session.cache';

/**
 * The `cache` option at work: a `SessionCache` kept honest by the invalidation channel.
 * Every method is a no-op when the option is off, so callers use them unconditionally.
 */
@Injectable()
export class SessionValidationCache implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('SessionValidationCache');
  private readonly cache: SessionCache | undefined;

  constructor(
    @Inject(SESSION_RESOLVED_OPTIONS) options: ResolvedSessionOptions,
    private readonly channel: SessionInvalidationChannel,
    clock: Clock,
  ) {
    if (options.cache) {
      this.cache = new SessionCache(options.cache.ttlMs, options.cache.max, () =>
        clock.now().getTime(),
      );
    }
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.cache) return;
    const cache = this.cache;
    // The cache starts disabled and is enabled only once the subscription is up.
    await this.channel.subscribe({
      onInvalidate: (invalidation) => cache.invalidate(invalidation),
      onStateChange: (up) => cache.setEnabled(up),
    });
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.cache) await this.channel.close();
  }

  /** Whether the `cache` option is on (the cache may still be bypassed while its channel is down). */
  get configured(): boolean {
    return this.cache !== undefined;
  }

  /** Entries held and entries dropped to stay within `max`, for metrics. */
  get stats(): { size: number; evictions: number } {
    return { size: this.cache?.size ?? 0, evictions: this.cache?.evictions ?? 0 };
  }

  /** The ticket for a store read starting now (see `SessionCache`). */
  ticket(): number {
    return this.cache?.ticket() ?? 0;
  }

  get(key: string): CachedSession | undefined {
    return this.cache?.get(key);
  }

  remember(key: string, entry: CachedSession, ticket: number): void {
    this.cache?.set(key, entry, ticket);
  }

  refresh(key: string, record: SessionRecord): void {
    this.cache?.refresh(key, record);
  }

  /** After a change this instance made: evict here at once, then tell every other instance. */
  invalidate(invalidation: SessionInvalidation): void {
    if (!this.cache || (invalidation !== 'all' && invalidation.length === 0)) return;
    this.cache.invalidate(invalidation);
    this.channel.publish(invalidation).catch((error: unknown) => {
      // The change is in the store; other instances may serve their cached copy until its ttl.
      this.logger.error(
        `Could not broadcast an invalidation: ${error instanceof Error ? error.message : String(error)}`,
      );
    });
  }
}
