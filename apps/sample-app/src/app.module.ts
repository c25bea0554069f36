import { type DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { SessionGuard } from '@app/session';
import type { DestinationStream } from 'pino';
import { AccountModule } from './account/account.module';
import { AccountPageModule } from './account-page/account-page.module';
import { AuditModule } from './audit/audit.module';
import { AuthModule } from './auth/auth.module';
import type { AppConfig } from './config/app-config';
import { appConfigModule } from './config/app-config.module';
import { sessionModules } from './config/session-store.config';
import { DatabaseModule } from './database/database.module';
import { GeoModule } from './geo/geo.module';
import { GraphqlApiModule } from './graphql/graphql-api.module';
import type { PgliteDriver } from '@app/pglite';
import { LiveModule } from './live/live.module';
import { LoggingModule } from './logging/logging.module';
import { HealthModule } from './health/health.module';
import { MeModule } from './me/me.module';
import { MetricsModule } from './metrics/metrics.module';
import { PassportDemoModule } from './passport/passport-demo.module';
import { SessionsModule } from './sessions/sessions.module';
import { ThrottleModule } from './throttle/throttle.module';
import { UsersModule } from './users/users.module';

/** Live objects the app can be handed besides its config (tests use them; main.ts does not). */
export interface AppRuntime {
  /** An embedded database opened by the caller, reused instead of opening one per app. */
  sharedEmbeddedDatabase?: PgliteDriver;
  /** Where the JSON log lines go instead of stdout (tests capture them). */
  logDestination?: DestinationStream;
}

/**
 * The sample app. A dynamic module so that main.ts (from the environment) and the e2e tests (with
 * their own schema and timeouts) boot exactly the same wiring with different configs.
 */
@Module({})
export class AppModule {
  static register(config: AppConfig, runtime: AppRuntime = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        appConfigModule(config),
        LoggingModule.forRoot(config, runtime.logDestination),
        EventEmitterModule.forRoot(),
        DatabaseModule.forRoot(config, runtime.sharedEmbeddedDatabase),
        GeoModule,
        ...sessionModules(config),
        ThrottleModule,
        UsersModule,
        AuthModule,
        MeModule,
        SessionsModule,
        AccountModule,
        AuditModule,
        HealthModule,
        MetricsModule,
        PassportDemoModule,
        GraphqlApiModule,
        LiveModule,
        AccountPageModule,
      ],
      // Every route needs a session unless marked @Public().
      providers: [{ provide: APP_GUARD, useClass: SessionGuard }],
    };
  }
}
