import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import request from 'supertest';
import { ensureBuiltSampleApp } from './built-app';
import { sleep } from './wait';

const START_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 10_000;
const OUTPUT_TAIL_CHARS = 20_000;

/** Every spawned app, so none outlives the test process even when a test forgets to stop it. */
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

export interface AppExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/**
 * The built sample app (`node dist/…/main.js`) as a child process on its own port, configured
 * only through its environment — exactly as it runs in production. Use it where one in-process
 * app is not enough: several instances, signals, a crash that must not take the tests down.
 */
export class AppProcess {
  private tail = '';
  readonly exited: Promise<AppExit>;

  private constructor(
    private readonly child: ChildProcess,
    readonly port: number,
    readonly name: string,
  ) {
    const collect = (chunk: Buffer): void => {
      this.tail = (this.tail + chunk.toString('utf8')).slice(-OUTPUT_TAIL_CHARS);
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    running.add(child);
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        running.delete(child);
        resolve({ code, signal });
      });
    });
  }

  /**
   * Builds the app if dist is missing or stale, starts it with `env` (plus PORT) and waits until
   * GET /health answers 200. Rejects, with the app's output, when it exits or does not become
   * healthy within 30 s.
   */
  static async start(env: Record<string, string>, name = 'app'): Promise<AppProcess> {
    const main = await ensureBuiltSampleApp();
    const port = await freePort();
    const child = spawn(process.execPath, [main], {
      // Only what the app needs: the test process's own variables (DATABASE_URL…) must not leak in.
      env: {
        PATH: process.env.PATH ?? '',
        NODE_ENV: 'production',
        // Tests sign in and register many times from 127.0.0.1; the limits' own specs set theirs.
        LOGIN_MAX_FAILURES: '1000000',
        LOGIN_MAX_FAILURES_PER_IP: '1000000',
        REGISTER_MAX_PER_IP: '1000000',
        AUDIT_MAX_EVENTS_PER_MINUTE: '1000000',
        // The platform the suite runs on (.ci/run runs it on Express and on Fastify).
        ...(process.env.HTTP_ADAPTER === undefined
          ? {}
          : { HTTP_ADAPTER: process.env.HTTP_ADAPTER }),
        ...env,
        PORT: String(port),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const app = new AppProcess(child, port, name);
    try {
      await app.waitUntilHealthy(START_TIMEOUT_MS);
    } catch (error) {
      await app.kill();
      throw error;
    }
    return app;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get pid(): number {
    if (this.child.pid === undefined) throw new Error(`${this.name} has no pid`);
    return this.child.pid;
  }

  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** The last ~20 kB of the app's stdout and stderr. */
  get output(): string {
    return this.tail;
  }

  /** A supertest client for this app, like TestApp.http(). */
  http(): ReturnType<typeof request> {
    return request(this.url);
  }

  /** Resident memory of the process in kB (Linux /proc), or undefined when unavailable. */
  rssKb(): number | undefined {
    try {
      const status = readFileSync(`/proc/${this.pid}/status`, 'utf8');
      const match = /^VmRSS:\s+(\d+) kB/m.exec(status);
      return match ? Number(match[1]) : undefined;
    } catch {
      return undefined;
    }
  }

  signal(signal: NodeJS.Signals): void {
    this.child.kill(signal);
  }

  /** SIGTERM (graceful shutdown), SIGKILL after 10 s; resolves with how it exited. */
  async stop(): Promise<AppExit> {
    if (this.alive) this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    const exit = await this.exited;
    clearTimeout(timer);
    return exit;
  }

  async kill(): Promise<void> {
    if (this.alive) this.child.kill('SIGKILL');
    await this.exited;
  }

  private async waitUntilHealthy(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let last = 'no answer';
    while (Date.now() < deadline) {
      if (!this.alive) {
        throw new Error(`${this.name} exited before it was healthy. Output:\n${this.tail}`);
      }
      try {
        const response = await fetch(`${this.url}/health`, { signal: AbortSignal.timeout(2000) });
        if (response.status === 200) return;
        last = `${response.status} ${await response.text()}`;
      } catch (error) {
        last = String(error);
      }
      await sleep(100);
    }
    throw new Error(`${this.name}: /health not 200 within ${timeoutMs} ms (last: ${last}).
Output:\n${this.tail}`);
  }
}

/** A port nobody listens on right now (the OS picks it; a tiny race with other processes). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}
