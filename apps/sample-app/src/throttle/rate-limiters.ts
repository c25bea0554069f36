import { Inject, Injectable, Optional } from '@nestjs/common';
import type { Redis } from 'ioredis';
import {
  type RateLimiterAbstract,
  RateLimiterPostgres,
  RateLimiterRedis,
} from 'rate-limiter-flexible';
import { ConfigService } from '@nestjs/config';
import { DataSource } from 'typeorm';
import { type AppConfigService, appConfigFrom } from '../config/app-config.module';
import { REDIS_CLIENT } from '../redis/redis.module';

export interface LimiterOptions {
  /** Separates this limiter's counters from the others'. */
  keyPrefix: string;
  /** Points a key may consume within `duration`. */
  points: number;
  /** Seconds a key's points are counted. */
  duration: number;
}

/**
 * Builds rate-limiter-flexible limiters on the backend the app's data already lives on: its Redis
 * (SESSION_STORE=redis) or its PostgreSQL database — the embedded PGlite included, through the
 * same node-postgres-compatible pool TypeORM uses. Counters therefore hold across instances.
 */
@Injectable()
export class RateLimiters {
  private readonly redisPrefix: string;

  constructor(
    private readonly dataSource: DataSource,
    configService: ConfigService,
    @Optional() @Inject(REDIS_CLIENT) private readonly redis?: Redis,
  ) {
    const store = appConfigFrom(configService as unknown as AppConfigService).sessionStore;
    this.redisPrefix = store.kind === 'redis' ? store.keyPrefix : '';
  }

  create(options: LimiterOptions): RateLimiterAbstract {
    if (this.redis) {
      // Under the app's own key prefix, beside its sessions (REDIS_KEY_PREFIX).
      const keyPrefix = `${this.redisPrefix}:${options.keyPrefix}`;
      return new RateLimiterRedis({ ...options, keyPrefix, storeClient: this.redis });
    }
    return new RateLimiterPostgres({
      ...options,
      storeClient: this.dataSource,
      storeType: 'typeorm',
      tableName: 'rate_limits',
      // The app's migrations create the table; the limiter must not run DDL at boot.
      tableCreated: true,
      // Expired counters are deleted by the limiter itself every five minutes.
      clearExpiredByTimeout: true,
    });
  }
}
