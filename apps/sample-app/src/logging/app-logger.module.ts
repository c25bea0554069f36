import type { DynamicModule } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import type { AppConfig } from '../config/app-config';
import { pinoHttpOptions } from './pino-http.options';

/**
 * nestjs-pino: one JSON line per request (pino-http) and, once main.ts calls
 * `app.useLogger(app.get(Logger))`, every Nest log line too — the session module's `SessionEvents`
 * lines included — as JSON on stdout (or on `destination`, which tests capture).
 */
export function appLoggerModule(config: AppConfig, destination?: DestinationStream): DynamicModule {
  const options = pinoHttpOptions(config.logLevel);
  return LoggerModule.forRoot({
    pinoHttp: destination === undefined ? options : [options, destination],
  });
}
