import { type DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { SessionGuard, SessionModule, type SessionModuleOptions } from '@app/session';
import type { ServerConfig } from '../server-config';
import { benchTypeOrmModule } from './bench-typeorm';
import { GuardedMeController } from './guarded-me.controller';

/**
 * The library as the sample app wires it: a global SessionGuard, the default TypeORM/PostgreSQL
 * store, default options (touchInterval 60 s, anomaly checks and event logging on).
 */
@Module({})
export class GuardedPgModule {
  static register(config: ServerConfig, options: SessionModuleOptions = {}): DynamicModule {
    return {
      module: GuardedPgModule,
      imports: [benchTypeOrmModule(config), SessionModule.forRoot({ ...options, isGlobal: true })],
      controllers: [GuardedMeController],
      providers: [{ provide: APP_GUARD, useClass: SessionGuard }],
    };
  }
}
