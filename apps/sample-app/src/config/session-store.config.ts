import type { DynamicModule } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { SessionModule } from '@app/session';
import { RedisSessionStore } from '@app/session/redis';
import type { Redis } from 'ioredis';
import { REDIS_CLIENT, RedisModule } from '../redis/redis.module';
import { UsersModule } from '../users/users.module';
import { UsersService } from '../users/users.service';
import { IpLocator } from '../geo/ip-locator';
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
        inject: [ConfigService, UsersService, IpLocator],
        useFactory: (configService: AppConfigService, users: UsersService, locator: IpLocator) =>
          toSessionModuleOptions(appConfigFrom(configService), users, locator),
      }),
    ];
  }
  return [
    RedisModule.forRoot(store),
    SessionModule.forRootAsync({
      isGlobal: true,
      imports: [UsersModule],
      inject: [ConfigService, REDIS_CLIENT, UsersService, IpLocator],
      useFactory: (
        configService: AppConfigService,
        client: Redis,
        users: UsersService,
        locator: IpLocator,
      ) => ({
        ...toSessionModuleOptions(appConfigFrom(configService), users, locator),
        store: new RedisSessionStore(client, { prefix: store.keyPrefix }),
      }),
    }),
  ];
}
