import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import type { DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import {
  isFastifyTarget,
  type OneShotMode,
  READY_LINE,
  RESULT_LINE,
  type ServerTarget,
} from '../shared/bench-targets';
import { runCreateBenchmark } from './create.benchmark';
import { runLogLineBenchmark } from './log-line.benchmark';
import { runRawInsertBenchmark } from './raw-insert.benchmark';
import { clearRedis, seedRedis } from './redis-seed';
import { readServerConfig, type ServerConfig } from './server-config';
import { BareModule } from './targets/bare.module';
import { ExpressSessionPg, ExpressSessionPgModule } from './targets/express-session-pg.module';
import { GuardedPgModule } from './targets/guarded-pg.module';
import { GuardedRedisModule } from './targets/guarded-redis.module';
import { RawPgModule } from './targets/raw-pg.module';
import { RawRedisModule } from './targets/raw-redis.module';

/**
 * The server under test: one Nest app, one target per process (BENCH_MODE), listening on
 * 127.0.0.1 only. Every target gets the same platform (Express; Fastify for the `-fastify` ones),
 * the same defaults and the same pool size; only what sits in front of GET /me differs.
 */
const MODULES: Record<ServerTarget, (config: ServerConfig) => DynamicModule> = {
  bare: () => ({ module: BareModule }),
  'guarded-pg': (config) => GuardedPgModule.register(config),
  // The validation cache on (LISTEN/NOTIFY invalidation): most requests skip the store.
  'guarded-pg-cache': (config) => GuardedPgModule.register(config, { cache: { ttl: 60 } }),
  'guarded-redis': (config) => GuardedRedisModule.register(config),
  'express-session-pg': (config) => ExpressSessionPgModule.register(config),
  'raw-pg': (config) => RawPgModule.register(config),
  'raw-redis': (config) => RawRedisModule.register(config),
  // The same modules on Fastify.
  'bare-fastify': () => ({ module: BareModule }),
  'guarded-pg-fastify': (config) => GuardedPgModule.register(config),
};

const ONE_SHOT: Record<OneShotMode, (config: ServerConfig) => Promise<unknown>> = {
  create: runCreateBenchmark,
  'raw-insert': runRawInsertBenchmark,
  'seed-redis': (config) => seedRedis(config, config.seed.sessions, config.seed.knownToken),
  'clear-redis': clearRedis,
  'log-line': runLogLineBenchmark,
};

async function serve(config: ServerConfig & { mode: ServerTarget }): Promise<void> {
  const module = MODULES[config.mode](config);
  const app = isFastifyTarget(config.mode)
    ? await NestFactory.create<NestFastifyApplication>(module, new FastifyAdapter(), {
        abortOnError: false,
      })
    : await NestFactory.create<NestExpressApplication>(module, { abortOnError: false });
  if (!isFastifyTarget(config.mode)) (app as NestExpressApplication).disable('x-powered-by');
  if (config.mode === 'express-session-pg') {
    // As the Nest docs' session recipe does it: app.use() before the routes.
    (app as NestExpressApplication).use(app.get(ExpressSessionPg).middleware);
  }
  // Not enableShutdownHooks(): that re-raises the signal after closing, and a process killed by a
  // signal never writes its --cpu-prof profile. Close the app (and its pools), then exit normally.
  process.once('SIGTERM', () => {
    void app.close().finally(() => process.exit(0));
  });
  await app.listen(config.port, '127.0.0.1');
  const address = app.getHttpServer().address() as AddressInfo;
  process.stdout.write(`${READY_LINE} ${address.port}\n`);
}

async function main(): Promise<void> {
  const config = readServerConfig(process.env);
  const { mode } = config;
  if (mode in ONE_SHOT) {
    const result = await ONE_SHOT[mode as OneShotMode](config);
    process.stdout.write(`${RESULT_LINE}${JSON.stringify(result)}\n`);
    return;
  }
  await serve({ ...config, mode: mode as ServerTarget });
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
