import type { DynamicModule } from '@nestjs/common';
import { RedisSessionStore, SessionModule } from '@app/session';
import type { Redis } from 'ioredis';
import { REDIS_CLIENT, RedisModule } from '../redis/redis.module';
import type { AppConfig } from './app-config';
import { toSessionModuleOptions } from './session.config';

/**
 * The SessionModule on the store SESSION_STORE names: the default TypeORM store on the app's
 * database, or a RedisSessionStore on the app's Redis client (which the RedisModule opens and
 * closes; the store never owns it).
 */
export function sessionModules(config: AppConfig): DynamicModule[] {
  const store = config.sessionStore;
  if (store.kind === 'postgres') {
    return [SessionModule.forRoot({ ...toSessionModuleOptions(config), isGlobal: true })];
  }
  return [
    RedisModule.forRoot(store),
    SessionModule.forRootAsync({
      isGlobal: true,
      inject: [REDIS_CLIENT],
      useFactory: (client: Redis) => ({
        ...toSessionModuleOptions(config),
        store: new RedisSessionStore(client, { prefix: store.keyPrefix }),
      }),
    }),
  ];
}
