import { performance } from 'node:perf_hooks';
import type { CreateResult } from '../shared/bench-targets';

const WARMUP_MS = 1000;

export interface ThroughputSpec {
  seconds: number;
  concurrency: number;
  /** Reported with the result: the users the operations are spread over. */
  users: number;
}

/**
 * `concurrency` workers calling `operation` back to back, for a warm-up second and then
 * `seconds`: operations per second, latency percentiles and failures. The create benchmark and
 * its raw INSERT baseline share it, so both are timed the same way.
 */
export async function measureThroughput(
  operation: () => Promise<unknown>,
  { seconds, concurrency, users }: ThroughputSpec,
): Promise<CreateResult> {
  const run = async (ms: number) => {
    const deadline = performance.now() + ms;
    const durations: number[] = [];
    let errors = 0;
    const worker = async () => {
      while (performance.now() < deadline) {
        const started = performance.now();
        try {
          await operation();
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
  const { durations, errors, seconds: elapsed } = await run(seconds * 1000);
  durations.sort((a, b) => a - b);
  const at = (q: number) =>
    round(durations[Math.min(durations.length - 1, Math.floor(q * durations.length))] ?? 0);
  return {
    sessionsPerSecond: round(durations.length / elapsed),
    created: durations.length,
    errors,
    seconds: round(elapsed),
    concurrency,
    users,
    latencyMs: { p50: at(0.5), p99: at(0.99) },
  };
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
