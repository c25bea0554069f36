import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { once } from 'node:events';
import { READY_LINE, RESULT_LINE, type ServerEnv } from '../shared/bench-targets';

const START_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 10_000;

/** Environment variables of a process other than the bench server (the sample app). */
export type ChildEnv = Readonly<Record<string, string>>;

/**
 * How a server that is not the bench server says it listens: on a port the driver chose, in a
 * line of its own log matching `line`.
 */
export interface ReadySignal {
  port: number;
  line: RegExp;
}

export interface ServerStart {
  main: string;
  env: ServerEnv | ChildEnv;
  logFile: string;
  /** Extra node flags, e.g. --cpu-prof. */
  nodeArgs?: string[];
  /** Default: the bench server's READY_LINE with the port it got. */
  ready?: ReadySignal;
  /**
   * Variables of the driver's own environment the child must not inherit: those that would
   * change what is measured (a developer's LOG_LEVEL, say) when `env` leaves them at defaults.
   */
  withoutInherited?: readonly string[];
}

/** A server to start, before the driver picks its log file and node flags. */
export type Launch = Omit<ServerStart, 'logFile' | 'nodeArgs'>;

/**
 * The server under test as a child process (compiled JS, own event loop, own CPU time), its output
 * kept in a log file. The bench server listens on port 0 and reports the port it got in its ready
 * line; another server (the sample app) is given a free port and says when it listens.
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
      const readyPort = portAnnouncer(options.ready);
      output.on('line', (line: string) => {
        const port = readyPort(line);
        if (port !== null) {
          clearTimeout(timer);
          // A server that logs every request (the sample app) must not keep the driver, on the
          // same cores, splitting its output into lines: the log file still gets every byte.
          output.stopListening();
          resolve(port);
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
  static async runOnce<T>(
    options: ServerStart & { env: ServerEnv },
    timeoutMs: number,
  ): Promise<T> {
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

/** The port a line announces the server listens on, or null. */
function portAnnouncer(ready: ReadySignal | undefined): (line: string) => number | null {
  if (ready) return (line) => (ready.line.test(line) ? ready.port : null);
  const readyLine = new RegExp(`^${READY_LINE} (\\d+)`);
  return (line) => {
    const match = readyLine.exec(line);
    return match ? Number(match[1]) : null;
  };
}

function launch(options: ServerStart) {
  mkdirSync(dirname(options.logFile), { recursive: true });
  const log = createWriteStream(options.logFile);
  const inherited = { ...process.env };
  for (const name of options.withoutInherited ?? []) delete inherited[name];
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), options.main], {
    // NO_COLOR: plain Nest log lines in the log files.
    env: { ...inherited, ...options.env, NODE_ENV: 'production', NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = new LineSplitter();
  let stderrTail = '';
  child.stdout.on('data', (chunk: Buffer) => {
    log.write(chunk);
    output.push(chunk);
  });
  child.stderr.on('data', (chunk: Buffer) => {
    log.write(chunk);
    stderrTail = (stderrTail + chunk.toString('utf8')).slice(-2000);
  });
  // The last message lines of stderr, without stack frames; else of stdout (where the sample
  // app's pino logger writes even its boot errors).
  output.lastError = () => {
    const lines = stderrTail
      .split('\n')
      .filter((line) => line.trim() !== '' && !/^\s+at /.test(line));
    return (lines.length > 0 ? lines : output.recent).slice(-2).join(' | ');
  };
  const exited = once(child, 'exit').then(([code]) => {
    log.end();
    return code as number | null;
  });
  return { child, exited, output };
}

class LineSplitter {
  private buffer = '';
  private readonly listeners: ((line: string) => void)[] = [];
  /** The last two non-empty lines split, while listening. */
  readonly recent: string[] = [];
  lastError: () => string = () => '';

  on(_event: 'line', listener: (line: string) => void): void {
    this.listeners.push(listener);
  }

  /** No more lines wanted: later output is not even buffered. */
  stopListening(): void {
    this.listeners.length = 0;
    this.buffer = '';
  }

  push(chunk: Buffer): void {
    if (this.listeners.length === 0) return;
    this.buffer += chunk.toString('utf8');
    let newline: number;
    while ((newline = this.buffer.indexOf('\n')) !== -1) {
      const line = this.buffer.slice(0, newline);
      this.buffer = this.buffer.slice(newline + 1);
      if (line.trim() !== '') {
        this.recent.push(line);
        if (this.recent.length > 2) this.recent.shift();
      }
      for (const listener of this.listeners) listener(line);
    }
  }
}
