import {
  type DynamicModule,
  Inject,
  Injectable,
  Module,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { SessionGuard, SessionModule } from '@app/session';
import { RedisSessionStore } from '@app/session/redis';
import { Redis } from 'ioredis';
import type { ServerConfig } from '../server-config';
import { GuardedMeController } from './guarded-me.controller';

const BENCH_REDIS = Symbol('BENCH_REDIS');

/** Fails a command after one retry instead of queueing it forever while Redis is down. */
export function benchRedisClient(url: string): Redis {
  return new Redis(url, { maxRetriesPerRequest: 1, connectTimeout: 5000 });
}

/** The store does not own the ioredis client (the caller closes it), so the app does. */
@Injectable()
class RedisClientCloser implements OnApplicationShutdown {
  constructor(@Inject(BENCH_REDIS) private readonly client: Redis) {}

  async onApplicationShutdown(): Promise<void> {
    await this.client.quit();
  }
}

/** guarded-pg with the Redis store instead of the TypeORM/PostgreSQL one; nothing else differs. */
@Module({})
export class GuardedRedisModule {
  static register(config: ServerConfig): DynamicModule {
    const client = benchRedisClient(config.redisUrl);
    return {
      module: GuardedRedisModule,
      imports: [
        SessionModule.forRoot({
          store: new RedisSessionStore(client, { prefix: config.redisPrefix }),
          isGlobal: true,
        }),
      ],
      controllers: [GuardedMeController],
      providers: [
        { provide: APP_GUARD, useClass: SessionGuard },
        { provide: BENCH_REDIS, useValue: client },
        RedisClientCloser,
      ],
    };
  }
}
