import type { DynamicModule } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { SessionModule } from '@app/session';
import { RedisSessionStore } from '@app/session/redis';
import type { Redis } from 'ioredis';
import { REDIS_CLIENT, RedisModule } from '../redis/redis.module';
import type { AppConfig } from './app-config';
import { type AppConfigService, appConfigFrom } from './app-config.module';
import { toSessionModuleOptions } from './session.config';

/**
 * The SessionModule, registered with forRootAsync from the typed ConfigService, on the store
 * SESSION_STORE names: the default TypeORM store on the app's database, or a RedisSessionStore on the app's Redis client (which the RedisModule opens and
 * closes; the store never owns it).
 */
export function sessionModules(config: AppConfig): DynamicModule[] {
  const store = config.sessionStore;
  if (store.kind === 'postgres') {
    return [
      SessionModule.forRootAsync({
        isGlobal: true,
        inject: [ConfigService],
        useFactory: (configService: AppConfigService) =>
          toSessionModuleOptions(appConfigFrom(configService)),
      }),
    ];
  }
  return [
    RedisModule.forRoot(store),
    SessionModule.forRootAsync({
      isGlobal: true,
      inject: [ConfigService, REDIS_CLIENT],
      useFactory: (configService: AppConfigService, client: Redis) => ({
        ...toSessionModuleOptions(appConfigFrom(configService)),
        store: new RedisSessionStore(client, { prefix: store.keyPrefix }),
      }),
    }),
  ];
}
