import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { once } from 'node:events';
import { READY_LINE, RESULT_LINE, type ServerEnv } from '../shared/bench-targets';

const START_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 10_000;

export interface ServerStart {
  main: string;
  env: ServerEnv;
  logFile: string;
  /** Extra node flags, e.g. --cpu-prof. */
  nodeArgs?: string[];
}

/**
 * The server under test as a child process (compiled JS, own event loop, own CPU time), its output
 * kept in a log file. Listening on port 0: it reports the port it got in its ready line.
 */
export class ServerProcess {
  private constructor(
    private readonly child: ChildProcess,
    readonly port: number,
    private readonly exited: Promise<number | null>,
  ) {}

  get pid(): number | undefined {
    return this.child.pid;
  }

  static async start(options: ServerStart): Promise<ServerProcess> {
    const { child, exited, output } = launch(options);
    const port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(
          new Error(
            `server did not become ready within ${START_TIMEOUT_MS} ms (${options.logFile})`,
          ),
        );
      }, START_TIMEOUT_MS);
      output.on('line', (line: string) => {
        const match = new RegExp(`^${READY_LINE} (\\d+)`).exec(line);
        if (match) {
          clearTimeout(timer);
          resolve(Number(match[1]));
        }
      });
      void exited.then((code) => {
        clearTimeout(timer);
        reject(
          new Error(
            `server exited with code ${code} before it was ready (${options.logFile}): ${output.lastError()}`,
          ),
        );
      });
    });
    return new ServerProcess(child, port, exited);
  }

  /** Runs the server in a one-shot mode and returns the JSON it printed after RESULT_LINE. */
  static async runOnce<T>(options: ServerStart, timeoutMs: number): Promise<T> {
    const { child, exited, output } = launch(options);
    let result: T | undefined;
    output.on('line', (line: string) => {
      if (line.startsWith(RESULT_LINE)) result = JSON.parse(line.slice(RESULT_LINE.length)) as T;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    const code = await exited;
    clearTimeout(timer);
    if (code !== 0 || result === undefined) {
      throw new Error(
        `${options.env.BENCH_MODE} exited with code ${code} (${options.logFile}): ${output.lastError()}`,
      );
    }
    return result;
  }

  /** SIGTERM (the server closes the app and its pools, then exits 0), SIGKILL after a bound. */
  async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    await this.exited;
    clearTimeout(timer);
  }
}

function launch(options: ServerStart) {
  mkdirSync(dirname(options.logFile), { recursive: true });
  const log = createWriteStream(options.logFile);
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), options.main], {
    // NO_COLOR: plain Nest log lines in the log files.
    env: { ...process.env, ...options.env, NODE_ENV: 'production', NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = new LineSplitter();
  let stderrTail = '';
  child.stdout.on('data', (chunk: Buffer) => {
    log.write(chunk);
    output.push(chunk.toString('utf8'));
  });
  child.stderr.on('data', (chunk: Buffer) => {
    log.write(chunk);
    stderrTail = (stderrTail + chunk.toString('utf8')).slice(-2000);
  });
  // The last message lines of stderr, without stack frames.
  output.lastError = () =>
    stderrTail
      .split('\n')
      .filter((line) => line.trim() !== '' && !/^\s+at /.test(line))
      .slice(-2)
      .join(' | ');
  const exited = once(child, 'exit').then(([code]) => {
    log.end();
    return code as number | null;
  });
  return { child, exited, output };
}

class LineSplitter {
  private buffer = '';
  private readonly listeners: ((line: string) => void)[] = [];
  lastError: () => string = () => '';

  on(_event: 'line', listener: (line: string) => void): void {
    this.listeners.push(listener);
  }

  push(text: string): void {
    this.buffer += text;
    let newline: number;
    while ((newline = this.buffer.indexOf('\n')) !== -1) {
      const line = this.buffer.slice(0, newline);
      this.buffer = this.buffer.slice(newline + 1);
      for (const listener of this.listeners) listener(line);
    }
  }
}
