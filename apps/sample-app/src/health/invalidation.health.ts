import { Injectable } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import { SessionMetrics } from '@app/session';

/**
 * Up unless the validation cache is on and its invalidation channel is down. The cache is then
 * bypassed (validations stay correct), but this instance's revocations may not reach the other
 * instances' caches, so it should take no traffic until the channel is back.
 */
@Injectable()
export class InvalidationChannelHealthIndicator {
  constructor(
    private readonly indicators: HealthIndicatorService,
    private readonly metrics: SessionMetrics,
  ) {}

  check<const Key extends string>(key: Key): HealthIndicatorResult<Key> {
    const check = this.indicators.check(key);
    return this.metrics.snapshot().cacheBypassed
      ? check.down({ message: 'the validation cache is on and its invalidation channel is down' })
      : check.up();
  }
}
