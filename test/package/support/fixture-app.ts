import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { ReadmeBlock } from './readme-snippets';

export const ROOT = resolve(__dirname, '../../..');
const FIXTURES = resolve(__dirname, '../fixtures');
const START_TIMEOUT_MS = 30_000;

/** Versions the repository installs, so fixtures use what the repository tests against. */
export function repoVersion(name: string): string {
  const manifest = JSON.parse(
    readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8'),
  );
  return manifest.version as string;
}

export function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): string {
  try {
    return execFileSync(cmd, args, {
      cwd,
      encoding: 'utf8',
      stdio: 'pipe',
      env: { ...process.env, CI: 'true', ...env },
    });
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(
      `${cmd} ${args.join(' ')} failed in ${cwd}:\n${failed.stdout ?? ''}\n${failed.stderr ?? failed.message}`,
      { cause: error },
    );
  }
}

/**
 * A throwaway app in `workdir/<fixture>`: the fixture's own files (what "your app" would have),
 * the README snippets aimed at it, and `dependencies` installed from the registry — the library
 * from the packed tarball, nothing from this repository.
 */
export function prepareFixture(
  workdir: string,
  fixture: string,
  snippets: ReadmeBlock[],
  manifest: {
    type?: 'module';
    dependencies: Record<string, string>;
    devDependencies?: Record<string, string>;
  },
): string {
  const dir = join(workdir, fixture);
  cpSync(join(FIXTURES, fixture), dir, { recursive: true });
  for (const snippet of snippets.filter((s) => s.target?.startsWith(`${fixture}/`))) {
    const file = join(workdir, snippet.target!);
    mkdirSync(dirname(file), { recursive: true });
    if (existsSync(file)) throw new Error(`two snippets write ${snippet.target}`);
    writeFileSync(file, snippet.code);
  }
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({ name: fixture, private: true, ...manifest }, null, 2),
  );
  // No install scripts: a user's install would run them, but none of these packages needs one.
  run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts'], dir);
  return dir;
}

/** A fixture app's process; `url` once it printed `LISTENING <port>`. */
export class FixtureProcess {
  output = '';
  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
  ) {
    child.stdout!.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
  }

  static start(dir: string, main: string, env: NodeJS.ProcessEnv): Promise<FixtureProcess> {
    const child = spawn(process.execPath, [main], {
      cwd: dir,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return new Promise((resolveStart, reject) => {
      let output = '';
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`app did not start:\n${output}`));
      }, START_TIMEOUT_MS);
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        const match = /LISTENING (\d+)/.exec(output);
        if (!match) return;
        clearTimeout(timer);
        child.stdout.off('data', onData);
        child.stderr.off('data', onData);
        const started = new FixtureProcess(child, `http://127.0.0.1:${match[1]}`);
        started.output = output;
        resolveStart(started);
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', onData);
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`app exited with ${code}:\n${output}`));
      });
    });
  }

  fetch(path: string, init: RequestInit = {}): Promise<Response> {
    return fetch(`${this.url}${path}`, init);
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((done) => this.child.once('exit', done));
    this.child.kill('SIGTERM');
    await exited;
  }
}
