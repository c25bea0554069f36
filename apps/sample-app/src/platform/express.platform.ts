import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { completedRequestsMiddleware } from './completed-requests';
import type { HttpPlatform } from './http-platform';
import { tlsOptionsOf } from './tls-options';

/** The app on `@nestjs/platform-express` (the default). */
export const expressPlatform: HttpPlatform = {
  listenHost: undefined,

  async create(module, options, config) {
    const app = await NestFactory.create<NestExpressApplication>(module, {
      ...options,
      httpsOptions: tlsOptionsOf(config),
      // The platform's default parsers (JSON and urlencoded at 100 kb) are replaced in configure.
      bodyParser: false,
    });
    // Decides whether req.ip (recorded on sessions and audit events) may come from X-Forwarded-For.
    app.set('trust proxy', config.trustProxy);
    // Express announces itself in X-Powered-By by default; nobody needs to know.
    app.disable('x-powered-by');
    // No ETag on API answers: most are per-user and marked no-store, so a validator is of no use,
    // and Express would hash every body to make one. Static assets keep theirs (serve-static).
    app.set('etag', false);
    return app;
  },

  configure(app, config, onCompleted) {
    const express = app as NestExpressApplication;
    // First, so a request's line covers everything that follows (and 404s, static files, errors).
    express.use(completedRequestsMiddleware(onCompleted));
    // Small bodies only: the API takes a few short fields, and a big body is a cheap DoS on
    // JSON.parse and on argon2. Only JSON is parsed; any other content type reaches validation as
    // an empty body.
    express.useBodyParser('json', { limit: config.jsonBodyLimitBytes });
  },

  serveAssets(app, directory) {
    (app as NestExpressApplication).useStaticAssets(directory, {
      prefix: '/assets/',
      index: false,
    });
  },
};
