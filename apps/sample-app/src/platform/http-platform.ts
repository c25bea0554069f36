import type { DynamicModule, INestApplication, NestApplicationOptions } from '@nestjs/common';
import type { AppConfig } from '../config/app-config';
import type { RequestObserver } from './completed-requests';

/**
 * What differs between the app on Express and on Fastify (HTTP_ADAPTER); everything else about the
 * pipeline — headers, filter, validation, OpenAPI, shutdown — is configureApp's, the same on both.
 */
export interface HttpPlatform {
  /** NestFactory.create on this platform, with body size and proxy trust from `config`. */
  create(
    module: DynamicModule,
    options: NestApplicationOptions,
    config: AppConfig,
  ): Promise<INestApplication>;
  /**
   * What must run before anything else: the report of each completed request (its log line and
   * metrics) and the JSON body parser.
   */
  configure(app: INestApplication, config: AppConfig, onCompleted: RequestObserver): void;
  /** The account page's CSS and script at /assets/. */
  serveAssets(app: INestApplication, directory: string): void;
  /** The address `listen(port)` binds when main.ts names none: every interface, as Express does. */
  readonly listenHost: string | undefined;
}
