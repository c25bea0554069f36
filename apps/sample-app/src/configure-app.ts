import type { NestApplicationOptions } from '@nestjs/common';
import { HttpAdapterHost, NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule, type AppRuntime } from './app.module';
import type { AppConfig } from './config/app-config';
import { HttpExceptionFilter } from './common/http-exception.filter';
import { createValidationPipe } from './common/validation';
import { useSecurityHeaders } from './common/security-headers';
import { PUBLIC_DIR } from './account-page/account-page.assets';
import { useOpenApi } from './openapi/openapi.document';
import { APP_LOGGER } from './logging/logging.module';
import { PinoNestLogger } from './logging/pino-nest.logger';
import { requestLogMiddleware } from './logging/request-log.middleware';

/**
 * Everything about the HTTP pipeline that is not a module: body parsing, proxy trust, the error
 * filter and validation. main.ts and the e2e harness both call it, so tests run the real pipeline.
 */
export function configureApp(app: NestExpressApplication, config: AppConfig): void {
  // First, so a request's line covers everything that follows (and 404s, static files, errors).
  app.use(requestLogMiddleware(app.get(APP_LOGGER)));
  // Small bodies only: the API takes a few short fields, and a big body is a cheap DoS on JSON.parse
  // and on argon2. Only JSON is parsed; any other content type reaches validation as an empty body.
  app.useBodyParser('json', { limit: config.jsonBodyLimit });
  // Decides whether req.ip (recorded on sessions and audit events) may come from X-Forwarded-For.
  app.set('trust proxy', config.trustProxy);
  // Express announces itself in X-Powered-By by default; nobody needs to know.
  app.disable('x-powered-by');
  // No ETag on API answers: most are per-user and marked no-store, so a validator is of no use,
  // and Express would hash every body to make one. Static assets keep theirs (serve-static).
  app.set('etag', false);
  useSecurityHeaders(app);
  // The account page's CSS and script (the page itself is served at / by AccountPageController).
  app.useStaticAssets(PUBLIC_DIR, { prefix: '/assets/', index: false });
  app.useGlobalFilters(new HttpExceptionFilter(app.get(HttpAdapterHost)));
  app.useGlobalPipes(createValidationPipe());
  // Swagger UI at /docs, the OpenAPI document at /docs-json (both public: the contract is no secret).
  useOpenApi(app, config);
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
): Promise<NestExpressApplication> {
  const usePino = logger === undefined;
  const app = await NestFactory.create<NestExpressApplication>(
    AppModule.register(config, runtime),
    {
      logger,
      // Boot lines wait until pino is up, so they are JSON like the rest.
      bufferLogs: usePino,
      // The platform's default parsers (JSON and urlencoded at 100 kb) are replaced in configureApp.
      bodyParser: false,
      // Throw boot errors to the caller (main.ts logs them; tests fail with them) instead of aborting.
      abortOnError: false,
    },
  );
  if (usePino) app.useLogger(app.get(PinoNestLogger));
  configureApp(app, config);
  return app;
}
