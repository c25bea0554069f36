import type { DynamicModule } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { SessionModule } from '@app/session';
import { RedisSessionStore } from '@app/session/redis';
import type { Redis } from 'ioredis';
import { REDIS_CLIENT, RedisModule } from '../redis/redis.module';
import { UsersModule } from '../users/users.module';
import { UsersService } from '../users/users.service';
import type { AppConfig } from './app-config';
import { type AppConfigService, appConfigFrom } from './app-config.module';
import { toSessionModuleOptions } from './session.config';

/**
 * The SessionModule, registered with forRootAsync from the typed ConfigService, on the store
 * SESSION_STORE names: the default TypeORM store on the app's database, or a RedisSessionStore on
 * the app's Redis client (which the RedisModule opens and closes; the store never owns it). The
 * session's user comes from UsersService (`resolveUser`), so guarded routes take `@CurrentUser()`.
 */
export function sessionModules(config: AppConfig): DynamicModule[] {
  const store = config.sessionStore;
  if (store.kind === 'postgres') {
    return [
      SessionModule.forRootAsync({
        isGlobal: true,
        imports: [UsersModule],
        inject: [ConfigService, UsersService],
        useFactory: (configService: AppConfigService, users: UsersService) =>
          toSessionModuleOptions(appConfigFrom(configService), users),
      }),
    ];
  }
  return [
    RedisModule.forRoot(store),
    SessionModule.forRootAsync({
      isGlobal: true,
      imports: [UsersModule],
      inject: [ConfigService, REDIS_CLIENT, UsersService],
      useFactory: (configService: AppConfigService, client: Redis, users: UsersService) => ({
        ...toSessionModuleOptions(appConfigFrom(configService), users),
        store: new RedisSessionStore(client, { prefix: store.keyPrefix }),
      }),
    }),
  ];
}
