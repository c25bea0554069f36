import { BadRequestException } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { completedRequestsHook } from './completed-requests';
import { toApiError } from '../common/to-api-error';
import type { TrustProxy } from '../config/trust-proxy.config';
import type { HttpPlatform } from './http-platform';
import { tlsOptionsOf } from './tls-options';

/**
 * A body-parser-style error (its `type`), so the error filter answers a Fastify request exactly as
 * an Express one: Nest turns it into an HttpException whose `cause` is this.
 */
function bodyError(status: number, type: string, message: string): Error {
  return Object.assign(new Error(message), { status, statusCode: status, expose: true, type });
}

function invalidJson(message: string): Error {
  return bodyError(400, 'entity.parse.failed', message);
}

/**
 * JSON bodies as Express' body-parser reads them (strict): an empty body is `{}`, anything but an
 * object or array is refused, and so is a charset other than UTF-8. Fastify's own parser answers
 * an empty body with an error of its own and accepts bare strings and numbers, which would change
 * the contract's answers.
 */
function parseJsonBody(contentType: string | undefined, body: Buffer): unknown {
  const charset = /;\s*charset=("?)([^";]+)\1/i.exec(contentType ?? '')?.[2];
  if (charset !== undefined && !charset.toLowerCase().startsWith('utf-')) {
    throw bodyError(415, 'charset.unsupported', `unsupported charset "${charset.toUpperCase()}"`);
  }
  const text = body.toString('utf8');
  if (text.trim() === '') return {};
  const first = text.trimStart()[0];
  if (first !== '{' && first !== '[') throw invalidJson('The request body is not valid JSON.');
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw invalidJson(error instanceof Error ? error.message : String(error));
  }
}

/**
 * TRUST_PROXY in Fastify's terms (the same proxy-addr rules as Express' `trust proxy`): a list as
 * it is, a hop count as the function Fastify's typings ask for (trust the nearest `hops`).
 */
function fastifyTrustProxy(
  trust: TrustProxy,
): boolean | string[] | ((address: string, hop: number) => boolean) {
  if (trust === false) return false;
  if (typeof trust === 'number') return (_address, hop) => hop < trust;
  return [...trust];
}

/** The app on `@nestjs/platform-fastify` (HTTP_ADAPTER=fastify). */
export const fastifyPlatform: HttpPlatform = {
  // Fastify binds localhost by default; a server in a container must answer on every interface.
  listenHost: '0.0.0.0',

  async create(module, options, config) {
    const adapter = new FastifyAdapter({
      ...(config.tls ? { https: tlsOptionsOf(config) } : {}),
      // A URL Fastify's router cannot decode (`/%ff`) is answered before Nest sees the request:
      // in the app's error shape, as Express' URIError is.
      frameworkErrors: (error: FastifyError, _request: FastifyRequest, reply: FastifyReply) => {
        const { body } = toApiError(new BadRequestException(error.message, { cause: error }));
        void reply.code(body.statusCode).send(body);
      },
      // Decides request.ip / protocol / host, as Express' `trust proxy` does (same proxy-addr).
      trustProxy: fastifyTrustProxy(config.trustProxy),
      bodyLimit: config.jsonBodyLimitBytes,
      routerOptions: {
        // Express' routing: /me/ and /ME answer like /me.
        ignoreTrailingSlash: true,
        caseSensitive: false,
        // A long path parameter reaches validation (400), as on Express, instead of Fastify's 414.
        maxParamLength: 16 * 1024,
      },
    });
    return NestFactory.create<NestFastifyApplication>(module, adapter, {
      ...options,
      bodyParser: false,
    });
  },

  configure(app, config, onCompleted) {
    const fastify = app as NestFastifyApplication;
    const instance = fastify.getHttpAdapter().getInstance();
    instance.addHook('onResponse', completedRequestsHook(onCompleted));
    // Only JSON is parsed (at most jsonBodyLimitBytes); any other content type reaches validation
    // as an empty body, as on Express: neither parsed nor refused with Fastify's 415.
    instance.removeAllContentTypeParsers();
    instance.addContentTypeParser('*', (_request, _payload, done) => done(null, undefined));
    fastify.useBodyParser(
      'application/json',
      { bodyLimit: config.jsonBodyLimitBytes },
      (request, body, done) => {
        try {
          done(null, parseJsonBody(request.headers['content-type'], body));
        } catch (error) {
          done(error as Error, undefined);
        }
      },
    );
  },

  serveAssets(app, directory) {
    (app as NestFastifyApplication).useStaticAssets({
      root: directory,
      prefix: '/assets/',
      index: false,
      // @nestjs/swagger registers @fastify/static for /docs too; only one may decorate the reply.
      decorateReply: false,
    });
  },
};
