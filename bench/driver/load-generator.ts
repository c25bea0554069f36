import { spawn } from 'node:child_process';
import { BENCH_USER_AGENT } from '../shared/bench-targets';

export interface LoadOptions {
  url: string;
  cookie?: string;
  connections: number;
  seconds: number;
}

/** The part of autocannon's --json result the report uses. */
export interface LoadResult {
  requestsPerSecond: number;
  /** Milliseconds. */
  latency: { p50: number; p97_5: number; p99: number; average: number };
  /** Requests sent, including those still in flight when the run ended (the server answered them). */
  sent: number;
  ok: number;
  non2xx: number;
  errors: number;
  timeouts: number;
}

interface AutocannonJson {
  requests: { average: number; total: number; sent: number };
  latency: { average: number; p50: number; p97_5: number; p99: number };
  errors: number;
  timeouts: number;
  non2xx: number;
  '2xx': number;
}

/**
 * Runs autocannon as its own process (its CLI with --json), so the load generator never competes
 * with the server for the server's event loop.
 */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const bin = require.resolve('autocannon/autocannon.js');
  const args = [
    bin,
    '--json',
    '--connections',
    String(options.connections),
    '--duration',
    String(options.seconds),
    '--header',
    `user-agent:${BENCH_USER_AGENT}`,
  ];
  if (options.cookie) args.push('--header', `cookie:${options.cookie}`);
  args.push(options.url);

  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  if (code !== 0) throw new Error(`autocannon exited with code ${code}: ${stderr.slice(-500)}`);
  const json = JSON.parse(stdout.slice(stdout.indexOf('{'))) as AutocannonJson;
  return {
    requestsPerSecond: json.requests.average,
    latency: {
      p50: json.latency.p50,
      p97_5: json.latency.p97_5,
      p99: json.latency.p99,
      average: json.latency.average,
    },
    sent: json.requests.sent,
    ok: json['2xx'],
    non2xx: json.non2xx,
    errors: json.errors,
    timeouts: json.timeouts,
  };
}

/** One request with the session cookie, to fail fast (with the body) before any load is sent. */
export async function probe(
  url: string,
  cookie?: string,
): Promise<{ status: number; body: string }> {
  const response = await fetch(url, {
    headers: { 'user-agent': BENCH_USER_AGENT, ...(cookie ? { cookie } : {}) },
    signal: AbortSignal.timeout(5000),
  });
  return { status: response.status, body: await response.text() };
}
