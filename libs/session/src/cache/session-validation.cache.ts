import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { Clock } from '../clock/clock';
import type { SessionInvalidation } from '../invalidation/session-invalidation.channel';
import { SessionInvalidationHub } from '../invalidation/session-invalidation.hub';
import type { ResolvedSessionOptions } from '../options/resolved-session-options.interface';
import { SESSION_RESOLVED_OPTIONS } from '../session.constants';
import type { SessionRecord } from '../store/session.record';
import { type CachedSession, SessionCache } from './session.cache';

/**
 * The `cache` option at work: a `SessionCache` kept honest by the invalidation channel.
 * Every method is a no-op when the option is off, so callers use them unconditionally — except
 * `invalidate`, which always tells the other instances (their open sockets listen too).
 */
@Injectable()
export class SessionValidationCache implements OnModuleInit {
  private readonly cache: SessionCache | undefined;

  constructor(
    @Inject(SESSION_RESOLVED_OPTIONS) options: ResolvedSessionOptions,
    private readonly hub: SessionInvalidationHub,
    clock: Clock,
  ) {
    if (options.cache) {
      this.cache = new SessionCache(options.cache.ttlMs, options.cache.max, () =>
        clock.now().getTime(),
      );
    }
  }

  onModuleInit(): void {
    if (!this.cache) return;
    const cache = this.cache;
    // The cache starts disabled and is enabled only once the hub's subscription is up.
    this.hub.listen({
      onInvalidate: (invalidation) => cache.invalidate(invalidation),
      onStateChange: (up) => cache.setEnabled(up),
    });
  }

  /** Whether the `cache` option is on (the cache may still be bypassed while its channel is down). */
  get configured(): boolean {
    return this.cache !== undefined;
  }

  /**
   * Entries held, entries dropped to stay within `max`, and whether the cache is on but bypassed
   * (its invalidation channel down), for metrics and readiness.
   */
  get stats(): { size: number; evictions: number; bypassed: boolean } {
    return {
      size: this.cache?.size ?? 0,
      evictions: this.cache?.evictions ?? 0,
      bypassed: this.cache !== undefined && !this.cache.isEnabled,
    };
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
    this.cache?.invalidate(invalidation);
    this.hub.publish(invalidation);
  }
}
