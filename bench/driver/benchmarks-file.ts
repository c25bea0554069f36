import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as prettier from 'prettier';
import { ROOT } from './bench-output';

/**
 * Appends a report section to BENCHMARKS.md (created from bench/BENCHMARKS.header.md), then
 * formats the file with the repository's Prettier config: `npm run lint` checks it.
 */
export async function appendToBenchmarks(markdown: string): Promise<void> {
  const file = join(ROOT, 'BENCHMARKS.md');
  const before = existsSync(file)
    ? readFileSync(file, 'utf8')
    : readFileSync(join(ROOT, 'bench', 'BENCHMARKS.header.md'), 'utf8');
  const options = (await prettier.resolveConfig(file)) ?? {};
  writeFileSync(
    file,
    await prettier.format(`${before}\n${markdown}`, { ...options, filepath: file }),
  );
}
