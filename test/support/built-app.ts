import { execFile } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { sleep } from './wait';

const ROOT = resolve(__dirname, '../..');
/** Where `nest build sample-app` puts the entry point; the same path as "start:prod". */
export const BUILT_MAIN = join(ROOT, 'dist/apps/sample-app/apps/sample-app/src/main.js');
/** What the build reads: any of these newer than BUILT_MAIN means dist is stale. */
const SOURCES = [
  'apps/sample-app/src',
  'libs/session/src',
  'apps/sample-app/tsconfig.app.json',
  'tsconfig.json',
  'nest-cli.json',
];
const LOCK = join(ROOT, 'dist/.sample-app-build.lock');
const BUILD_TIMEOUT_MS = 120_000;
/** A lock older than this belongs to a build that died; it is taken over. */
const STALE_LOCK_MS = 180_000;

/**
 * The compiled sample app, for tests that run it as a separate process. CI builds before it
 * tests, so a fresh dist is reused as is; a missing or stale one (a source newer than the entry
 * point) is rebuilt with `nest build sample-app`. Jest workers that need it at the same time take
 * turns through a lock directory (mkdir is atomic), and whoever gets it second finds dist fresh.
 */
export async function ensureBuiltSampleApp(): Promise<string> {
  if (isFresh()) return BUILT_MAIN;
  await withLock(async () => {
    if (isFresh()) return;
    await promisify(execFile)('npx', ['nest', 'build', 'sample-app'], {
      cwd: ROOT,
      timeout: BUILD_TIMEOUT_MS,
      maxBuffer: 16 * 1024 * 1024,
    }).catch((error: Error & { stdout?: string; stderr?: string }) => {
      throw new Error(
        `nest build sample-app failed: ${error.message}\n${error.stdout ?? ''}${error.stderr ?? ''}`,
      );
    });
  });
  if (!isFresh()) throw new Error(`nest build sample-app did not produce a fresh ${BUILT_MAIN}`);
  return BUILT_MAIN;
}

function isFresh(): boolean {
  let built: number;
  try {
    built = statSync(BUILT_MAIN).mtimeMs;
  } catch {
    return false;
  }
  return SOURCES.every((source) => newestMtime(join(ROOT, source)) <= built);
}

function newestMtime(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) {
    newest = Math.max(newest, newestMtime(join(path, entry)));
  }
  return newest;
}

async function withLock(work: () => Promise<void>): Promise<void> {
  mkdirSync(join(ROOT, 'dist'), { recursive: true });
  const deadline = Date.now() + STALE_LOCK_MS;
  for (;;) {
    try {
      mkdirSync(LOCK);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const lock = statSync(LOCK, { throwIfNoEntry: false });
      if (lock === undefined) continue; // released just now
      if (Date.now() - lock.mtimeMs > STALE_LOCK_MS || Date.now() > deadline) {
        rmSync(LOCK, { recursive: true, force: true });
      } else {
        await sleep(250);
      }
    }
  }
  try {
    await work();
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}
