/**
 * What the driver and the server under test agree on. The two run as separate processes (the load
 * generator must not share a CPU scheduler slot with the code it measures), so everything else
 * travels as environment variables.
 */
/** Targets the bench server (bench/server) serves, one per process. */
export const SERVER_TARGETS = [
  'bare',
  'guarded-pg-cache',
  'raw-pg',
  'guarded-pg',
  'express-session-pg',
  'raw-redis',
  'guarded-redis',
  'bare-fastify',
  'guarded-pg-fastify',
] as const;

export type ServerTarget = (typeof SERVER_TARGETS)[number];

/**
 * Targets served by the built sample app (apps/sample-app, as `npm run start:prod` runs it), not
 * by the bench server: what users actually deploy, with its logging, metrics and headers.
 */
export const SAMPLE_APP_TARGETS = ['sample-app-cache', 'sample-app', 'sample-app-fastify'] as const;

export type SampleAppTarget = (typeof SAMPLE_APP_TARGETS)[number];

/**
 * In run order: each target sits next to the baseline its goal is measured against
 * (sample-app-cache | bare | guarded-pg-cache, express-session-pg | guarded-pg | raw-pg |
 * sample-app, raw-redis | guarded-redis, bare-fastify | guarded-pg-fastify | sample-app-fastify),
 * so within a round the two runs of a ratio are as close
 * in time as possible. sample-app ÷ express-session-pg, informational, spans three runs.
 */
export const TARGETS = [
  'sample-app-cache',
  'bare',
  'guarded-pg-cache',
  'express-session-pg',
  'guarded-pg',
  'raw-pg',
  'sample-app',
  'raw-redis',
  'guarded-redis',
  'bare-fastify',
  'guarded-pg-fastify',
  'sample-app-fastify',
] as const satisfies readonly (ServerTarget | SampleAppTarget)[];

export type Target = (typeof TARGETS)[number];

/** The bench server's targets on `@nestjs/platform-fastify` (the rest run on Express). */
export function isFastifyTarget(target: string): boolean {
  return target.endsWith('-fastify');
}

export function isSampleAppTarget(target: Target): target is SampleAppTarget {
  return (SAMPLE_APP_TARGETS as readonly string[]).includes(target);
}

/**
 * The server binary's one-shot modes: SessionService.create throughput and its raw INSERT
 * baseline (no HTTP), and filling or clearing the Redis store (through the store itself, which
 * owns its key layout).
 */
export const ONE_SHOT_MODES = [
  'create',
  'raw-insert',
  'seed-redis',
  'clear-redis',
  'log-line',
] as const;

export type OneShotMode = (typeof ONE_SHOT_MODES)[number];

export type ServerMode = ServerTarget | OneShotMode;

/** The library's default cookie name; raw-pg reads the same cookie. */
export const SESSION_COOKIE = '__Host-sid';

/** express-session's default cookie name. */
export const EXPRESS_SESSION_COOKIE = 'connect.sid';

/** Sent by the load generator and stored on the seeded session, so anomaly checks stay quiet. */
export const BENCH_USER_AGENT = 'nest-session-bench';

/** The ip a loopback request has in `req.ip` when the server listens on 127.0.0.1. */
export const BENCH_CLIENT_IP = '127.0.0.1';

/** Same pool size for every database-backed target (node-postgres' default). */
export const PG_POOL_SIZE = 10;

/** Printed by the server once it listens; the driver waits for it. */
export const READY_LINE = 'BENCH_READY';

/** Prefix of the create benchmark's one-line JSON result on stdout. */
export const RESULT_LINE = 'BENCH_RESULT ';

/** Environment variables the driver sets for the server. */
export interface ServerEnv {
  BENCH_MODE: ServerMode;
  PORT: string;
  DATABASE_URL: string;
  /** PostgreSQL schema holding this target's tables. */
  BENCH_SCHEMA: string;
  /** `application_name` of the server's connections, so the driver can wait for them to close. */
  BENCH_APP_NAME: string;
  REDIS_URL: string;
  /** Key prefix of the Redis store, so a run never touches other keys. */
  BENCH_REDIS_PREFIX: string;
  /** seed-redis only: filler sessions, and the token of the one the load presents. */
  BENCH_SEED_SESSIONS?: string;
  BENCH_KNOWN_TOKEN?: string;
  /** create and raw-insert modes: seconds to run, concurrency, users. */
  BENCH_CREATE_SECONDS: string;
  BENCH_CREATE_CONCURRENCY: string;
  BENCH_CREATE_USERS: string;
  /** express-session's signing secret (the driver signs the cookie with it). */
  BENCH_EXPRESS_SECRET: string;
}

/** What one request log line of the sample app costs, written through the app's own logger. */
export interface LogLineResult {
  lines: number;
  /** CPU of the process (all threads) per line: building, serializing, redacting, writing. */
  cpuMicrosPerLine: number;
  bytesPerLine: number;
}

/**
 * The result of the create benchmark or of its raw INSERT baseline, printed by the server after
 * RESULT_LINE and read by the driver.
 */
export interface CreateResult {
  sessionsPerSecond: number;
  created: number;
  errors: number;
  seconds: number;
  concurrency: number;
  users: number;
  latencyMs: { p50: number; p99: number };
}
