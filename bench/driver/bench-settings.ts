import { TARGETS, type Target } from '../shared/bench-targets';

/** One run's settings, from the environment. BENCH_QUICK=1 shrinks everything to a smoke test. */
export interface BenchSettings {
  quick: boolean;
  /** Sessions seeded in each target's table (besides the one the load uses). */
  sessions: number;
  /**
   * Second phase: guarded-pg on this many sessions against `sessions`; 0 = skip, and always 0 in
   * quick mode (seeding 10,000,000 takes a minute or two).
   */
  largeSessions: number;
  rounds: number;
  warmupSeconds: number;
  durationSeconds: number;
  connections: number;
  targets: Target[];
  createSeconds: number;
  createConcurrency: number;
  createUsers: number;
  /** Start every target with --cpu-prof. */
  profile: boolean;
  /** Exit non-zero when a performance target is missed (not only on errors). */
  strict: boolean;
  /** Append the report to BENCHMARKS.md (never in quick mode). */
  append: boolean;
  keepData: boolean;
  databaseUrl: string;
  redisUrl: string;
}

export function readBenchSettings(env: NodeJS.ProcessEnv): BenchSettings {
  const quick = flag(env.BENCH_QUICK);
  const targets = (env.BENCH_TARGETS ?? TARGETS.join(','))
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);
  for (const target of targets) {
    if (!TARGETS.includes(target as Target)) {
      throw new Error(`BENCH_TARGETS: unknown target "${target}" (known: ${TARGETS.join(', ')})`);
    }
  }
  return {
    quick,
    sessions: int(env, 'BENCH_SESSIONS', quick ? 2_000 : 100_000),
    largeSessions: quick ? 0 : int(env, 'BENCH_LARGE_SESSIONS', 1_000_000),
    rounds: int(env, 'BENCH_ROUNDS', quick ? 1 : 2),
    warmupSeconds: int(env, 'BENCH_WARMUP', quick ? 1 : 3),
    durationSeconds: int(env, 'BENCH_DURATION', quick ? 2 : 15),
    connections: int(env, 'BENCH_CONNECTIONS', 32),
    targets: targets as Target[],
    createSeconds: int(env, 'BENCH_CREATE_SECONDS', quick ? 1 : 5),
    createConcurrency: int(env, 'BENCH_CREATE_CONCURRENCY', 16),
    createUsers: int(env, 'BENCH_CREATE_USERS', 1_000),
    profile: flag(env.BENCH_PROFILE),
    strict: flag(env.BENCH_STRICT),
    // Profiling slows the servers unevenly: the ratios of a profiled run are not comparable.
    append: !quick && !flag(env.BENCH_PROFILE) && env.BENCH_APPEND !== '0',
    keepData: flag(env.BENCH_KEEP_DATA),
    databaseUrl:
      env.BENCH_DATABASE_URL ?? env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
    redisUrl: env.REDIS_URL ?? 'redis://127.0.0.1:6379',
  };
}

function flag(value: string | undefined): boolean {
  return value === '1' || value === 'true';
}

function int(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const value = env[name];
  if (value === undefined || value === '') return fallback;
  if (!/^\d+$/.test(value))
    throw new Error(`${name} must be a non-negative integer, got "${value}"`);
  return Number(value);
}
