import { type DynamicModule, Global, Module } from '@nestjs/common';
import type { DestinationStream, Logger } from 'pino';
import type { AppConfig } from '../config/app-config';
import { createAppLogger } from './app-logger';
import { PinoNestLogger } from './pino-nest.logger';

/** The app's pino logger (`Logger` from pino), for code that writes structured lines itself. */
export const APP_LOGGER = Symbol('APP_LOGGER');

/**
 * One pino logger per app: the request lines (configureApp hands requestLogWriter to the platform) and, once
 * createApp calls `app.useLogger(app.get(PinoNestLogger))`, every Nest log line too.
 */
@Global()
@Module({})
export class LoggingModule {
  static forRoot(config: AppConfig, destination?: DestinationStream): DynamicModule {
    return {
      module: LoggingModule,
      providers: [
        {
          provide: APP_LOGGER,
          useFactory: () => createAppLogger(config.logLevel, destination, config.logFormat),
        },
        {
          provide: PinoNestLogger,
          inject: [APP_LOGGER],
          useFactory: (logger: Logger) => new PinoNestLogger(logger),
        },
      ],
      exports: [APP_LOGGER, PinoNestLogger],
    };
  }
}
