import { ONE_SHOT_MODES, SERVER_TARGETS, type ServerMode } from '../shared/bench-targets';

/** Injection token of the ServerConfig. */
export const BENCH_CONFIG = Symbol('BENCH_CONFIG');

/** The server's settings, read once from the environment the driver sets. */
export interface ServerConfig {
  mode: ServerMode;
  port: number;
  databaseUrl: string;
  schema: string;
  appName: string;
  redisUrl: string;
  redisPrefix: string;
  expressSecret: string;
  create: { seconds: number; concurrency: number; users: number };
  seed: { sessions: number; knownToken: string };
}

export function readServerConfig(env: NodeJS.ProcessEnv): ServerConfig {
  const mode = env.BENCH_MODE;
  const modes: readonly string[] = [...SERVER_TARGETS, ...ONE_SHOT_MODES];
  if (mode === undefined || !modes.includes(mode)) {
    throw new Error(`BENCH_MODE must be one of ${modes.join(', ')}`);
  }
  return {
    mode: mode as ServerMode,
    port: Number(env.PORT ?? 0),
    databaseUrl: env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
    schema: env.BENCH_SCHEMA ?? 'public',
    appName: env.BENCH_APP_NAME ?? 'nest-session-bench',
    redisUrl: env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    redisPrefix: env.BENCH_REDIS_PREFIX ?? 'bench',
    expressSecret: env.BENCH_EXPRESS_SECRET ?? 'bench-secret',
    create: {
      seconds: Number(env.BENCH_CREATE_SECONDS ?? 5),
      concurrency: Number(env.BENCH_CREATE_CONCURRENCY ?? 16),
      users: Number(env.BENCH_CREATE_USERS ?? 1000),
    },
    seed: {
      sessions: Number(env.BENCH_SEED_SESSIONS ?? 0),
      knownToken: env.BENCH_KNOWN_TOKEN ?? '',
    },
  };
}
