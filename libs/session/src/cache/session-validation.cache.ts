import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { ResolvedSessionOptions } from '../options/resolved-session-options';
import { SESSION_RESOLVED_OPTIONS } from '../session.constants';
import type { SessionRecord } from '../store/session.record';
import { SessionStore } from '../store/session.store';
import { SessionCache } from './session.cache';
import type {
  SessionInvalidation,
  SessionInvalidationChannel,
} from '../invalidation/session-invalidation.channel';

/**
 * The `cache` option at work: a `SessionCache` kept honest by the store's invalidation channel.
 * Every method is a no-op when the option is off, so the service calls them unconditionally.
 */
@Injectable()
export class SessionValidationCache implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('SessionValidationCache');
  private readonly cache: SessionCache | undefined;
  private channel: SessionInvalidationChannel | undefined;

  constructor(
    @Inject(SESSION_RESOLVED_OPTIONS) options: ResolvedSessionOptions,
    private readonly store: SessionStore,
  ) {
    if (options.cache) this.cache = new SessionCache(options.cache.ttlMs, options.cache.max);
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.cache) return;
    const cache = this.cache;
    this.channel = this.store.createInvalidationChannel();
    // The cache starts disabled and is enabled only once the subscription is up.
    await this.channel.subscribe({
      onInvalidate: (invalidation) => cache.invalidate(invalidation),
      onStateChange: (up) => cache.setEnabled(up),
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.channel?.close();
  }

  /** Whether the `cache` option is on (the cache may still be bypassed while its channel is down). */
  get configured(): boolean {
    return this.cache !== undefined;
  }

  /** The ticket for a store read starting now (see `SessionCache`). */
  ticket(): number {
    return this.cache?.ticket() ?? 0;
  }

  get(key: string, now: Date): SessionRecord | undefined {
    return this.cache?.get(key, now.getTime());
  }

  remember(key: string, record: SessionRecord, ticket: number, now: Date): void {
    this.cache?.set(key, record, ticket, now.getTime());
  }

  refresh(key: string, record: SessionRecord): void {
    this.cache?.refresh(key, record);
  }

  /** After a change this instance made: evict here at once, then tell every other instance. */
  invalidate(invalidation: SessionInvalidation): void {
    if (!this.cache || (invalidation !== 'all' && invalidation.length === 0)) return;
    this.cache.invalidate(invalidation);
    this.channel?.publish(invalidation).catch((error: unknown) => {
      // The change is in the store; other instances may serve their cached copy until its ttl.
      this.logger.error(
        `Could not broadcast an invalidation: ${error instanceof Error ? error.message : String(error)}`,
      );
    });
  }
}
