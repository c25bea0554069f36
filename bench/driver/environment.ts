import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import type { BenchDatabase } from './bench-database';

const PACKAGES = [
  '@nestjs/core',
  '@nestjs/platform-express',
  'express',
  'typeorm',
  'pg',
  'express-session',
  'connect-pg-simple',
  // What the sample app adds on every request: request logging, security headers, metrics.
  'pino',
  'helmet',
  'prom-client',
  'autocannon',
];

/** What a reader needs to compare two entries of BENCHMARKS.md: versions, machine, commit. */
export async function collectEnvironment(
  root: string,
  db: BenchDatabase,
): Promise<Record<string, string>> {
  const cores = cpus();
  return {
    machine: `${cores.length} cores (${cores[0]?.model.trim() ?? 'unknown CPU'}), ${Math.round(totalmem() / 2 ** 30)} GiB`,
    node: process.version,
    PostgreSQL: await db.serverVersion(),
    ...Object.fromEntries(PACKAGES.map((name) => [name, packageVersion(root, name)])),
    commit: commit(root),
  };
}

function packageVersion(root: string, name: string): string {
  try {
    const manifest = JSON.parse(
      readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8'),
    ) as { version: string };
    return manifest.version;
  } catch {
    return 'not installed';
  }
}

/** Read-only git queries; a checkout without git reports "unknown". */
function commit(root: string): string {
  try {
    const git = (...args: string[]) =>
      execFileSync('git', args, {
        cwd: root,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      }).trim();
    const head = git('rev-parse', '--short', 'HEAD');
    return git('status', '--porcelain').length > 0 ? `${head} + uncommitted changes` : head;
  } catch {
    return 'unknown';
  }
}
