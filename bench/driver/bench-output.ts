import { join, resolve } from 'node:path';

/** The repository root (this file runs from dist/bench/bench/driver). */
export const ROOT = resolve(__dirname, '../../../..');
/** Reports, raw results, server logs and CPU profiles; git-ignored. */
export const OUTPUT = join(ROOT, 'bench-output');
export const PROFILES = join(OUTPUT, 'profiles');
export const SERVER_MAIN = resolve(__dirname, '../server/main.js');

export function log(text: string): void {
  process.stdout.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${text}\n`);
}

export function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
