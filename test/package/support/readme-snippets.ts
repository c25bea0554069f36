import { readFileSync } from 'node:fs';

/** A TypeScript block of a README, with what its marker says it is. */
export interface ReadmeBlock {
  readme: string;
  line: number;
  code: string;
  /** `<fixture>/<path>` for a snippet; undefined for an excerpt or an unmarked block. */
  target?: string;
  kind: 'snippet' | 'excerpt' | 'unmarked';
}

const MARKER = /^<!-- (snippet: (\S+)|excerpt) -->$/;

/**
 * Every ```ts block of a README. A block is a snippet when the nearest non-blank line above it is
 * `<!-- snippet: <fixture>/<path> -->` (it is written to that file and must run as is), an excerpt
 * after `<!-- excerpt -->` (part of a file, with a runnable version next to it), else unmarked —
 * which the package test refuses, so no usage example escapes being run.
 */
export function readmeBlocks(file: string, name: string): ReadmeBlock[] {
  const lines = readFileSync(file, 'utf8').split('\n');
  const blocks: ReadmeBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].trim() !== '```ts') continue;
    const end = lines.indexOf('```', i + 1);
    if (end === -1) throw new Error(`${name}:${i + 1}: unclosed code block`);
    let above = i - 1;
    while (above >= 0 && lines[above].trim() === '') above--;
    const marker = above >= 0 ? MARKER.exec(lines[above].trim()) : null;
    blocks.push({
      readme: name,
      line: i + 1,
      code: `${lines.slice(i + 1, end).join('\n')}\n`,
      target: marker?.[2],
      kind: marker === null ? 'unmarked' : marker[2] ? 'snippet' : 'excerpt',
    });
    i = end;
  }
  return blocks;
}
