import { type DynamicModule, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { closeRedis, connectRedis, type RedisConfig } from './redis-client';

/** Injection token of the app's ioredis client (present only with SESSION_STORE=redis). */
export const REDIS_CLIENT = Symbol('REDIS_CLIENT');

class RedisShutdown implements OnApplicationShutdown {
  constructor(@Inject(REDIS_CLIENT) private readonly client: Redis) {}

  async onApplicationShutdown(): Promise<void> {
    await closeRedis(this.client);
  }
}

/** The app's one Redis connection, opened at boot and closed on shutdown. */
@Module({})
export class RedisModule {
  static forRoot(config: RedisConfig): DynamicModule {
    return {
      module: RedisModule,
      global: true,
      providers: [{ provide: REDIS_CLIENT, useFactory: () => connectRedis(config) }, RedisShutdown],
      exports: [REDIS_CLIENT],
    };
  }
}
