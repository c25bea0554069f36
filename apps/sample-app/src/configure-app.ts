import type { INestApplication, NestApplicationOptions } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { AppModule, type AppRuntime } from './app.module';
import type { AppConfig } from './config/app-config';
import { HttpExceptionFilter } from './common/http-exception.filter';
import { createValidationPipe } from './common/validation';
import { useSecurityHeaders } from './common/security-headers';
import { PUBLIC_DIR } from './account-page/account-page.assets';
import { useOpenApi } from './openapi/openapi.document';
import { APP_LOGGER } from './logging/logging.module';
import { PinoNestLogger } from './logging/pino-nest.logger';
import { requestLogWriter } from './logging/request-log';
import { HTTP_REQUEST_METRICS } from './metrics/metrics.constants';
import { observeAll, type RequestObserver } from './platform/completed-requests';
import { HTTP_PLATFORMS } from './platform/http-platforms';
import { useSocketFanOut } from './live/fan-out-io.adapter';

/**
 * Everything about the HTTP pipeline that is not a module: the request log, body parsing, security
 * headers, the error filter and validation, on the platform HTTP_ADAPTER names. main.ts and the
 * e2e harness both call it, so tests run the real pipeline.
 */
export function configureApp(app: INestApplication, config: AppConfig): void {
  const platform = HTTP_PLATFORMS[config.httpAdapter];
  platform.configure(
    app,
    config,
    observeAll(
      requestLogWriter(app.get(APP_LOGGER)),
      app.get<RequestObserver>(HTTP_REQUEST_METRICS),
    ),
  );
  useSecurityHeaders(app);
  // The account page's CSS and script (the page itself is served at / by AccountPageController).
  platform.serveAssets(app, PUBLIC_DIR);
  app.useGlobalFilters(new HttpExceptionFilter(app.get(HttpAdapterHost)));
  app.useGlobalPipes(createValidationPipe());
  // Swagger UI at /docs, the OpenAPI document at /docs-json (both public: the contract is no secret).
  useOpenApi(app, config);
  // socket.io's rooms across instances (Redis or PostgreSQL), so a session event reaches every tab.
  useSocketFanOut(app);
  // On SIGTERM/SIGINT: stop accepting connections, let in-flight requests finish, close the pools,
  // then exit 0 (by default Nest re-raises the signal, and the process ends "killed", not done).
  app.enableShutdownHooks([], { useProcessExit: true });
}

/**
 * Creates the configured (not yet listening) sample app. Nest's own log lines go through pino (JSON,
 * with the request lines) unless `logger` is given: tests pass one to collect or silence them.
 */
export async function createApp(
  config: AppConfig,
  { logger, ...runtime }: Pick<NestApplicationOptions, 'logger'> & AppRuntime = {},
): Promise<INestApplication> {
  const usePino = logger === undefined;
  const app = await HTTP_PLATFORMS[config.httpAdapter].create(
    AppModule.register(config, runtime),
    {
      logger,
      // Boot lines wait until pino is up, so they are JSON like the rest.
      bufferLogs: usePino,
      // Throw boot errors to the caller (main.ts logs them; tests fail with them) instead of aborting.
      abortOnError: false,
    },
    config,
  );
  if (usePino) app.useLogger(app.get(PinoNestLogger));
  configureApp(app, config);
  return app;
}

/** Where main.ts's `listen(port)` binds on this platform (undefined: every interface). */
export function listenHostOf(config: AppConfig): string | undefined {
  return HTTP_PLATFORMS[config.httpAdapter].listenHost;
}
