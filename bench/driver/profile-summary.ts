import { existsSync, readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** A profile of one run and the load window in it (µs on the monotonic clock V8 also uses). */
export interface ProfiledRun {
  label: string;
  target: string;
  file: string;
  startUs: number;
  endUs: number;
  /** Requests sent during the window (warm-up + measurement). */
  requests: number;
}

interface Attribution {
  label: string;
  target: string;
  /** Microseconds of CPU per request, by area and by function (self time). */
  areas: Map<string, number>;
  functions: Map<string, number>;
  /** Inclusive µs per request of the library's functions (time spent in them and below). */
  libraryInclusive: Map<string, number>;
  busyPerRequest: number;
}

const LIBRARY = '/libs/session/';
/** The built sample app's own code (its copy of the library sits under /libs/session/). */
const SAMPLE_APP = '/apps/sample-app/src/';

/** Where a sample's code lives, coarse enough to see where a request's CPU time goes. */
function area(url: string, functionName: string): string {
  if (url === '') {
    if (functionName === '(garbage collector)') return 'GC';
    if (functionName === '(idle)' || functionName === '(program)') return functionName;
    return 'native (syscalls, crypto, JSON)';
  }
  if (url.includes(LIBRARY)) return 'library (@app/session)';
  if (url.includes('/dist/bench/bench/')) return 'bench code';
  if (url.includes(SAMPLE_APP)) return 'sample app';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1];
  if (url.startsWith('node:')) return 'node core';
  return url;
}

function frameName(node: ProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame;
  const file = url.split('/').pop() ?? '';
  return url ? `${functionName || '(anonymous)'} (${file}:${lineNumber + 1})` : functionName;
}

function attribute(run: ProfiledRun): Attribution {
  const profile = JSON.parse(readFileSync(run.file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes)
    for (const child of node.children ?? []) parent.set(child, node.id);

  const areas = new Map<string, number>();
  const functions = new Map<string, number>();
  const libraryInclusive = new Map<string, number>();
  const add = (map: Map<string, number>, key: string, us: number) =>
    map.set(key, (map.get(key) ?? 0) + us);

  let time = profile.startTime;
  let busy = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    time += profile.timeDeltas[i] ?? 0;
    const next = profile.timeDeltas[i + 1] ?? 0;
    if (time < run.startUs || time > run.endUs) continue;
    const node = byId.get(profile.samples[i])!;
    const { functionName, url } = node.callFrame;
    if (functionName === '(idle)') continue;
    // A sample stands for the time until the next one.
    const us = next;
    busy += us;
    add(areas, area(url, functionName), us);
    add(functions, `${frameName(node)} — ${area(url, functionName)}`, us);
    const seen = new Set<string>();
    for (let id: number | undefined = node.id; id !== undefined; id = parent.get(id)) {
      const frame = byId.get(id)!;
      if (!frame.callFrame.url.includes(LIBRARY)) continue;
      const name = frameName(frame);
      if (!seen.has(name)) {
        seen.add(name);
        add(libraryInclusive, name, us);
      }
    }
  }
  const perRequest = (map: Map<string, number>) =>
    new Map([...map].map(([k, v]) => [k, v / Math.max(1, run.requests)]));
  return {
    label: run.label,
    target: run.target,
    areas: perRequest(areas),
    functions: perRequest(functions),
    libraryInclusive: perRequest(libraryInclusive),
    busyPerRequest: busy / Math.max(1, run.requests),
  };
}

function top(map: Map<string, number>, n: number): [string, number][] {
  return [...map].sort((a, b) => b[1] - a[1]).slice(0, n);
}

/** The largest changes either way. */
function topChanges(map: Map<string, number>, n: number): [string, number][] {
  return [...map].sort((a, b) => Math.abs(b[1]) - Math.abs(a[1])).slice(0, n);
}

/**
 * Each guarded target against the baseline its goal is set against, and the sample app against
 * the bench server's guarded target too: what the app adds around the same library.
 */
const COMPARED = [
  ['guarded-pg', 'raw-pg'],
  ['guarded-redis', 'raw-redis'],
  ['guarded-pg-cache', 'bare'],
  ['sample-app', 'raw-pg'],
  ['sample-app', 'guarded-pg'],
  ['sample-app-cache', 'bare'],
  ['sample-app-cache', 'guarded-pg-cache'],
] as const;

const us = (value: number) => value.toFixed(1);
const cell = (text: string) => text.replace(/\|/g, '\\|');

/**
 * A Markdown summary of the CPU profiles, restricted to each run's load window and divided by its
 * requests: µs of server CPU per request by area (library, @nestjs/*, express, pg, node core, GC),
 * the hottest functions, the library's inclusive times, and each guarded target minus its baseline.
 */
export function summarizeProfiles(runs: ProfiledRun[]): string {
  const attributions = runs.filter((r) => existsSync(r.file)).map(attribute);
  if (attributions.length === 0) return 'No CPU profiles found.\n';
  const out: string[] = [
    '## CPU profiles of the server (µs of main-thread CPU per request, load window only)',
    '',
  ];
  for (const a of attributions) {
    out.push(
      `### ${a.label}: ${us(a.busyPerRequest)} µs/request (≈ ${Math.round(1e6 / a.busyPerRequest)} req/s on one core)`,
      '',
      '| area | µs/request |',
      '| --- | ---: |',
      ...top(a.areas, 14).map(([k, v]) => `| ${cell(k)} | ${us(v)} |`),
      '',
      '| hottest functions (self) | µs/request |',
      '| --- | ---: |',
      ...top(a.functions, 20).map(([k, v]) => `| ${cell(k)} | ${us(v)} |`),
      '',
    );
    if (a.libraryInclusive.size > 0) {
      out.push(
        '| library functions (inclusive) | µs/request |',
        '| --- | ---: |',
        ...top(a.libraryInclusive, 20).map(([k, v]) => `| ${cell(k)} | ${us(v)} |`),
        '',
      );
    }
  }

  for (const [target, baseline] of COMPARED) {
    const a = attributions.find((x) => x.target === target);
    const b = attributions.find((x) => x.target === baseline);
    if (a && b) out.push(...comparison(a, b));
  }
  return `${out.join('\n')}\n`;
}

/** Where one target spends more CPU per request than another, by area and by function. */
function comparison(a: Attribution, b: Attribution): string[] {
  const diff = (x: Map<string, number>, y: Map<string, number>) => {
    const keys = new Set([...x.keys(), ...y.keys()]);
    return new Map([...keys].map((k) => [k, (x.get(k) ?? 0) - (y.get(k) ?? 0)]));
  };
  return [
    `### ${a.target} − ${b.target}: ${us(a.busyPerRequest - b.busyPerRequest)} µs/request more`,
    '',
    '| area | Δ µs/request |',
    '| --- | ---: |',
    ...topChanges(diff(a.areas, b.areas), 12).map(([k, v]) => `| ${cell(k)} | ${us(v)} |`),
    '',
    '| function (self) | Δ µs/request |',
    '| --- | ---: |',
    ...topChanges(diff(a.functions, b.functions), 20).map(([k, v]) => `| ${cell(k)} | ${us(v)} |`),
    '',
  ];
}
