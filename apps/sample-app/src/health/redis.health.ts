import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { APP_CONFIG } from '../config/app-config.module';
import type { AppConfig } from '../config/app-config';
import { REDIS_CLIENT } from '../redis/redis.module';

/** Answers whether Redis answers PING in time; always up when the app does not use Redis. */
@Injectable()
export class RedisHealth {
  private readonly logger = new Logger(RedisHealth.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Optional() @Inject(REDIS_CLIENT) private readonly client?: Redis,
  ) {}

  async isUp(): Promise<boolean> {
    if (this.client === undefined) return true;
    let timer: NodeJS.Timeout | undefined;
    // The client's commandTimeout bounds PING too, but the probe keeps its own, shorter bound.
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`PING took over ${this.config.healthCheckTimeoutMs} ms`)),
        this.config.healthCheckTimeoutMs,
      );
    });
    try {
      await Promise.race([this.client.ping(), timeout]);
      return true;
    } catch (error) {
      this.logger.warn(`Redis health check failed: ${String(error)}`);
      return false;
    } finally {
      clearTimeout(timer);
    }
  }
}
