import { Inject, Injectable, Optional } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import type { Redis } from 'ioredis';
import { REDIS_CLIENT } from '../redis/redis.module';

/**
 * A terminus indicator for the app's Redis client: up when PING answers within `timeoutMs`.
 * terminus ships none for ioredis, and the client is the app's own (REDIS_CLIENT).
 */
@Injectable()
export class RedisHealthIndicator {
  constructor(
    private readonly indicators: HealthIndicatorService,
    @Optional() @Inject(REDIS_CLIENT) private readonly client?: Redis,
  ) {}

  /** Whether the app uses Redis at all (SESSION_STORE=redis). */
  get configured(): boolean {
    return this.client !== undefined;
  }

  pingCheck<const Key extends string>(
    key: Key,
    timeoutMs: number,
  ): PromiseLike<HealthIndicatorResult<Key>> {
    const client = this.client;
    const check = this.indicators.check(key);
    if (client === undefined) return Promise.resolve(check.up());
    // The client's commandTimeout bounds PING too, but the probe keeps its own, shorter bound.
    return check.attempt(async () => void (await client.ping())).withTimeout(timeoutMs);
  }
}
