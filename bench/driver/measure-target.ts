import { join } from 'node:path';
import type { Target } from '../shared/bench-targets';
import type { BenchDatabase, KnownSession } from './bench-database';
import { OUTPUT, PROFILES, log, message } from './bench-output';
import type { BenchSettings } from './bench-settings';
import { probe, runLoad } from './load-generator';
import { cpuByPid, cpuMicros, cpuSpent } from './process-cpu';
import type { ProfiledRun } from './profile-summary';
import { redisCpuMicros, redisWriteCommands } from './redis-stats';
import type { TargetRun } from './report';
import { type Launch, ServerProcess } from './server-process';

/** A target ready to be measured: its data seeded, its request known. */
export interface Prepared {
  /** PostgreSQL schema whose writes are counted; null for bare and Redis. */
  schema: string | null;
  known: KnownSession | null;
  path: string;
  /** Where writes are counted. */
  store: 'pg' | 'redis' | null;
}

export interface MeasureSpec {
  target: Target;
  round: number;
  prepared: Prepared;
  sessions: number;
}

/** What a measurement needs from the run it belongs to. */
export interface MeasureContext {
  settings: BenchSettings;
  db: BenchDatabase;
  profiles: ProfiledRun[];
  appName(target: Target): string;
  /** How to start `target`'s server on `schema` (a fresh port each time, where it needs one). */
  launch(target: Target, schema: string | null, appName: string): Promise<Launch>;
  fail(text: string): void;
}

/** Rows (PostgreSQL) or write commands (Redis, server-wide) so far; null when not counted. */
async function writesSoFar(bench: MeasureContext, prepared: Prepared): Promise<number | null> {
  if (prepared.store === 'pg' && prepared.schema) return bench.db.writes(prepared.schema);
  if (prepared.store === 'redis') return redisWriteCommands(bench.settings.redisUrl);
  return null;
}

/**
 * CPU µs used so far by the store serving a target, by process: its PostgreSQL backends (pids
 * that appear later count from zero), or the Redis server. Null without a store or a reading.
 */
async function storeCpu(
  bench: MeasureContext,
  prepared: Prepared,
  appName: string,
): Promise<Map<number, number> | null> {
  if (prepared.store === 'pg') {
    const backends = cpuByPid(await bench.db.backendPids(appName));
    return backends.size > 0 ? backends : null;
  }
  if (prepared.store === 'redis') {
    const micros = await redisCpuMicros(bench.settings.redisUrl).catch(() => null);
    return micros === null ? null : new Map([[0, micros]]);
  }
  return null;
}

/**
 * One run of one target: start its server process, check one request answers 200, warm up,
 * measure with autocannon, stop the server, then count what it wrote. Failures are reported
 * through `bench.fail` and yield null.
 */
export async function measureTarget(
  bench: MeasureContext,
  { target, round, prepared, sessions }: MeasureSpec,
): Promise<TargetRun | null> {
  const { settings, db } = bench;
  const appName = bench.appName(target);
  const label = `${target} round ${round} (${sessions.toLocaleString('en-US')} sessions)`;
  const before = await writesSoFar(bench, prepared);
  const profileName = `${target}-${sessions}-r${round}.cpuprofile`;
  const profiled = settings.profile;
  let server: ServerProcess;
  try {
    server = await ServerProcess.start({
      ...(await bench.launch(target, prepared.schema, appName)),
      logFile: join(OUTPUT, 'logs', `${target}-${sessions}-r${round}.log`),
      nodeArgs: profiled
        ? ['--cpu-prof', '--cpu-prof-dir', PROFILES, '--cpu-prof-name', profileName]
        : [],
    });
  } catch (error) {
    bench.fail(`${label}: ${message(error)}`);
    return null;
  }

  let run: TargetRun | null = null;
  try {
    const url = `http://127.0.0.1:${server.port}${prepared.path}`;
    const cookie = prepared.known?.cookie;
    const answer = await probe(url, cookie);
    if (answer.status !== 200) {
      throw new Error(
        `probe GET ${prepared.path} answered ${answer.status}: ${answer.body.slice(0, 300)}`,
      );
    }
    const load = { url, cookie, connections: settings.connections };
    const startUs = monotonicUs();
    const warm = await runLoad({ ...load, seconds: settings.warmupSeconds });
    const serverBefore = cpuMicros(server.pid);
    const dbBefore = await storeCpu(bench, prepared, appName);
    const measured = await runLoad({ ...load, seconds: settings.durationSeconds });
    const serverAfter = cpuMicros(server.pid);
    const dbAfter = await storeCpu(bench, prepared, appName);
    const perRequest = (micros: number) => micros / Math.max(1, measured.sent);
    if (profiled) {
      bench.profiles.push({
        label,
        target,
        file: join(PROFILES, profileName),
        startUs,
        endUs: monotonicUs(),
        requests: warm.sent + measured.sent,
      });
    }
    run = {
      target,
      round,
      sessions,
      load: measured,
      writes: null,
      requests: 1 + warm.sent + measured.sent,
      serverCpuUs:
        serverBefore === null || serverAfter === null
          ? null
          : perRequest(serverAfter - serverBefore),
      dbCpuUs: dbBefore && dbAfter ? perRequest(cpuSpent(dbBefore, dbAfter)) : null,
    };
  } catch (error) {
    bench.fail(`${label}: ${message(error)}`);
  } finally {
    await server.stop();
  }
  if (!run) return null;

  if (before !== null) {
    // Counted over the server's whole life: PostgreSQL backends publish their counters as they
    // exit, so wait for the server's connections to be gone.
    if (prepared.store === 'pg') await db.waitForDisconnect(appName);
    run.writes = ((await writesSoFar(bench, prepared)) ?? before) - before;
  }
  const { load } = run;
  log(
    `${label}: ${Math.round(load.requestsPerSecond)} req/s, p50 ${load.latency.p50} ms, ` +
      `p99 ${load.latency.p99} ms, non-2xx ${load.non2xx}, errors ${load.errors + load.timeouts}, ` +
      `server CPU ${run.serverCpuUs?.toFixed(0) ?? '—'} µs/req, DB CPU ${run.dbCpuUs?.toFixed(0) ?? '—'} µs/req` +
      (run.writes === null ? '' : `, ${run.writes} writes / ${run.requests} requests`),
  );
  if (load.non2xx > 0 || load.errors > 0 || load.timeouts > 0) {
    bench.fail(
      `${label}: ${load.non2xx} non-2xx responses, ${load.errors} errors, ${load.timeouts} timeouts`,
    );
  }
  return run;
}

/** Microseconds on the monotonic clock that V8's CPU profiles also use. */
function monotonicUs(): number {
  return Number(process.hrtime.bigint() / 1000n);
}
