import { randomInt } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { NestFactory } from '@nestjs/core';
import { SessionService } from '@app/session';
import { BENCH_CLIENT_IP, BENCH_USER_AGENT, type CreateResult } from '../shared/bench-targets';
import type { ServerConfig } from './server-config';
import { GuardedPgModule } from './targets/guarded-pg.module';

/** Live sessions a user may hold during the create benchmark (evict-oldest beyond it). */
export const CREATE_LIMIT = 5;
const WARMUP_MS = 1000;

/**
 * Throughput of SessionService.create under the per-user limit: `concurrency` workers create
 * sessions for random users among `users`, so most creates also evict (after the first few
 * seconds every user holds CREATE_LIMIT sessions). No HTTP and no password hashing: this is the
 * library's cost of a login, nothing else.
 */
export async function runCreateBenchmark(config: ServerConfig): Promise<CreateResult> {
  const app = await NestFactory.createApplicationContext(
    GuardedPgModule.register(config, { maxSessionsPerUser: CREATE_LIMIT }),
  );
  try {
    const sessions = app.get(SessionService);
    const { concurrency, users } = config.create;
    const context = { ip: BENCH_CLIENT_IP, userAgent: BENCH_USER_AGENT };

    const run = async (ms: number) => {
      const deadline = performance.now() + ms;
      const durations: number[] = [];
      let errors = 0;
      const worker = async () => {
        while (performance.now() < deadline) {
          const started = performance.now();
          try {
            await sessions.create(`create-user-${randomInt(users)}`, context);
            durations.push(performance.now() - started);
          } catch {
            errors++;
          }
        }
      };
      const started = performance.now();
      await Promise.all(Array.from({ length: concurrency }, worker));
      return { durations, errors, seconds: (performance.now() - started) / 1000 };
    };

    await run(WARMUP_MS);
    const { durations, errors, seconds } = await run(config.create.seconds * 1000);
    durations.sort((a, b) => a - b);
    const at = (q: number) =>
      round(durations[Math.min(durations.length - 1, Math.floor(q * durations.length))] ?? 0);
    return {
      sessionsPerSecond: round(durations.length / seconds),
      created: durations.length,
      errors,
      seconds: round(seconds),
      concurrency,
      users,
      latencyMs: { p50: at(0.5), p99: at(0.99) },
    };
  } finally {
    await app.close();
  }
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
