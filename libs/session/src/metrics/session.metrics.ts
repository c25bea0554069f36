import { Injectable, Optional } from '@nestjs/common';
import { SessionValidationCache } from '../cache/session-validation.cache';

/** Outcome of one validation, as counted by `SessionMetrics`. */
export type SessionValidationResult =
  'ok' | 'missing' | 'invalid' | 'expired' | 'revoked' | 'replay' | 'unavailable';

/** Upper bounds (seconds) of the validation latency histogram, Prometheus-style. */
export const VALIDATION_BUCKETS_SECONDS = [
  0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5,
] as const;

export interface SessionMetricsSnapshot {
  readonly validations: Readonly<Record<SessionValidationResult, number>>;
  readonly validationSeconds: {
    /** Cumulative counts per upper bound, the last one being +Inf. */
    readonly buckets: ReadonlyArray<{ readonly le: number; readonly count: number }>;
    readonly sum: number;
    readonly count: number;
  };
  readonly events: Readonly<Record<string, number>>;
  /** Validations answered from the validation cache (the `cache` option) without a store read. */
  readonly cacheHits: number;
  /** Validations with the cache on that had to read the store (not cached, or cached but due). */
  readonly cacheMisses: number;
  /** Sessions held by this instance's validation cache right now (0 with the cache off). */
  readonly cacheSize: number;
  /** Entries the cache dropped to stay within `cache.max` (not revocations, not expiries). */
  readonly cacheEvictions: number;
  /**
   * True while the cache is on but its invalidation channel is down: validations read the store
   * (correct, slower) and this instance's revocations may not reach the others' caches. A
   * readiness check fails on it.
   */
  readonly cacheBypassed: boolean;
}

/**
 * Process-local counters of the module, free of any metrics library: the app decides whether and
 * how to expose them (e.g. prom-client collect callbacks reading `snapshot()`). Recording is a few
 * additions, cheap enough for every request.
 * @publicApi
 */
@Injectable()
export class SessionMetrics {
  /** Upper bounds (seconds) of the validation latency histogram, Prometheus-style. */
  static readonly VALIDATION_BUCKETS_SECONDS = VALIDATION_BUCKETS_SECONDS;

  private readonly validations: Record<SessionValidationResult, number> = {
    ok: 0,
    missing: 0,
    invalid: 0,
    expired: 0,
    revoked: 0,
    replay: 0,
    unavailable: 0,
  };
  private readonly bucketCounts = new Array<number>(VALIDATION_BUCKETS_SECONDS.length + 1).fill(0);
  private durationSum = 0;
  private durationCount = 0;
  private readonly events = new Map<string, number>();
  private cacheHits = 0;
  private cacheMisses = 0;

  /** @param cache the module's validation cache, for its size; absent in a bare `new SessionMetrics()`. */
  constructor(@Optional() private readonly cache?: SessionValidationCache) {}

  recordValidation(result: SessionValidationResult, seconds: number): void {
    this.validations[result] += 1;
    let index = VALIDATION_BUCKETS_SECONDS.findIndex((le) => seconds <= le);
    if (index === -1) index = VALIDATION_BUCKETS_SECONDS.length;
    this.bucketCounts[index] += 1;
    this.durationSum += seconds;
    this.durationCount += 1;
  }

  recordCacheHit(): void {
    this.cacheHits += 1;
  }

  recordCacheMiss(): void {
    this.cacheMisses += 1;
  }

  recordEvent(type: string): void {
    this.events.set(type, (this.events.get(type) ?? 0) + 1);
  }

  snapshot(): SessionMetricsSnapshot {
    let cumulative = 0;
    const bounds = [...VALIDATION_BUCKETS_SECONDS, Number.POSITIVE_INFINITY];
    const cache = this.cache?.stats;
    return {
      validations: { ...this.validations },
      validationSeconds: {
        buckets: bounds.map((le, i) => ({ le, count: (cumulative += this.bucketCounts[i]) })),
        sum: this.durationSum,
        count: this.durationCount,
      },
      events: Object.fromEntries(this.events),
      cacheHits: this.cacheHits,
      cacheMisses: this.cacheMisses,
      cacheSize: cache?.size ?? 0,
      cacheEvictions: cache?.evictions ?? 0,
      cacheBypassed: cache?.bypassed ?? false,
    };
  }
}
