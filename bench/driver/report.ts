import type { CreateResult, LogLineResult, Target } from '../shared/bench-targets';
import type { BenchSettings } from './bench-settings';
import type { LoadResult } from './load-generator';

/** One measured run of one target. */
export interface TargetRun {
  target: Target;
  /** 1-based round; the scale phase labels its runs by session count instead. */
  round: number;
  sessions: number;
  load: LoadResult;
  /** Rows written to the target's tables during the server's life; null without a database. */
  writes: number | null;
  /** Every request sent to the server: probe, warm-up and measurement (in-flight ones included). */
  requests: number;
  /**
   * CPU µs per request during the measurement: the server process (all threads), and the store
   * (the PostgreSQL backends of its connections, or the Redis server). Null where unknown.
   */
  serverCpuUs: number | null;
  dbCpuUs: number | null;
}

export interface TargetSummary {
  target: Target;
  runs: number;
  requestsPerSecond: number;
  p50: number;
  p97_5: number;
  p99: number;
  non2xx: number;
  errors: number;
  writesPer1k: number | null;
  serverCpuUs: number | null;
  dbCpuUs: number | null;
}

/** One run of the create benchmark or of its raw INSERT baseline, as the server reported it. */
export type CreateRun = CreateResult & { round: number };

export interface BenchReport {
  startedAt: Date;
  finishedAt: Date;
  settings: BenchSettings;
  environment: Record<string, string>;
  runs: TargetRun[];
  failures: string[];
  /** The scale phase's runs, and how long seeding its large table took. */
  scale: { small: TargetRun[]; large: TargetRun[]; seedSeconds: number } | null;
  create: CreateRun[];
  /** The same workers doing a plain INSERT of a fresh row each: the floor under `create`. */
  rawInsert: CreateRun[];
  /** The sample app's request log line on its own (with sample-app among the targets). */
  logLine: LogLineResult | null;
}

export interface TargetCheck {
  name: string;
  required: string;
  measured: string;
  /** null: reported for information, no goal to meet. */
  met: boolean | null;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export function writesPer1k(run: TargetRun): number | null {
  return run.writes === null || run.requests === 0 ? null : (run.writes / run.requests) * 1000;
}

function medianOrNull(values: (number | null)[]): number | null {
  const known = values.filter((v): v is number => v !== null);
  return known.length > 0 ? median(known) : null;
}

export function summarize(runs: TargetRun[]): TargetSummary[] {
  const byTarget = new Map<Target, TargetRun[]>();
  for (const run of runs) byTarget.set(run.target, [...(byTarget.get(run.target) ?? []), run]);
  return [...byTarget].map(([target, list]) => {
    return {
      target,
      runs: list.length,
      requestsPerSecond: median(list.map((r) => r.load.requestsPerSecond)),
      p50: median(list.map((r) => r.load.latency.p50)),
      p97_5: median(list.map((r) => r.load.latency.p97_5)),
      p99: median(list.map((r) => r.load.latency.p99)),
      non2xx: list.reduce((sum, r) => sum + r.load.non2xx, 0),
      errors: list.reduce((sum, r) => sum + r.load.errors + r.load.timeouts, 0),
      writesPer1k: medianOrNull(list.map(writesPer1k)),
      serverCpuUs: medianOrNull(list.map((r) => r.serverCpuUs)),
      dbCpuUs: medianOrNull(list.map((r) => r.dbCpuUs)),
    };
  });
}

type RunMetric = (run: TargetRun) => number | null;

const rps: RunMetric = (run) => run.load.requestsPerSecond;
const p99: RunMetric = (run) => run.load.latency.p99;
const serverCpu: RunMetric = (run) => run.serverCpuUs;

/**
 * `target` ÷ `baseline` as the median over rounds of each round's own ratio. Two runs of one
 * round ran minutes apart at most (adjacent, in the default order), so a slow spell of a shared
 * machine moves both; a ratio of medians would pair runs from different rounds. Null when no
 * round measured both.
 */
export function pairedRatio(
  runs: TargetRun[],
  target: Target,
  baseline: Target,
  metric: RunMetric,
): number | null {
  const ratios: number[] = [];
  for (const run of runs) {
    if (run.target !== target) continue;
    const base = runs.find((r) => r.target === baseline && r.round === run.round);
    const value = metric(run);
    const baseValue = base ? metric(base) : null;
    if (value !== null && baseValue) ratios.push(value / baseValue);
  }
  return ratios.length > 0 ? median(ratios) : null;
}

/** create ÷ raw-insert sessions/s: the median of each round's own ratio, as for the targets. */
export function createRatio(report: BenchReport): number | null {
  const ratios: number[] = [];
  for (const create of report.create) {
    const raw = report.rawInsert.find((r) => r.round === create.round);
    if (raw && raw.sessionsPerSecond > 0)
      ratios.push(create.sessionsPerSecond / raw.sessionsPerSecond);
  }
  return ratios.length > 0 ? median(ratios) : null;
}

/** A goal of the issue stated as a ratio of two targets measured in the same rounds. */
interface RatioGoal {
  target: Target;
  baseline: Target;
  metric: RunMetric;
  label: string;
  /** null: a ratio worth reporting beside the goals, with no goal of its own. */
  bound: { atLeast: number } | { atMost: number } | null;
}

const INFORMATIONAL = '— (informational)';

const RATIO_GOALS: readonly RatioGoal[] = [
  {
    target: 'guarded-pg',
    baseline: 'raw-pg',
    metric: rps,
    label: 'req/s',
    bound: { atLeast: 0.9 },
  },
  { target: 'guarded-pg', baseline: 'raw-pg', metric: p99, label: 'p99', bound: { atMost: 1.2 } },
  {
    target: 'guarded-pg',
    baseline: 'express-session-pg',
    metric: rps,
    label: 'req/s',
    bound: { atLeast: 2.5 },
  },
  {
    target: 'guarded-redis',
    baseline: 'raw-redis',
    metric: rps,
    label: 'req/s',
    bound: { atLeast: 0.9 },
  },
  {
    target: 'guarded-pg-cache',
    baseline: 'bare',
    metric: rps,
    label: 'req/s',
    bound: { atLeast: 0.85 },
  },
  // What users run: the sample app (its logging, metrics, headers, its user resolver) on the
  // same PostgreSQL, against the same baselines.
  {
    target: 'sample-app',
    baseline: 'raw-pg',
    metric: rps,
    label: 'req/s',
    bound: { atLeast: 0.8 },
  },
  { target: 'sample-app', baseline: 'raw-pg', metric: p99, label: 'p99', bound: { atMost: 1.3 } },
  {
    target: 'sample-app',
    baseline: 'express-session-pg',
    metric: rps,
    label: 'req/s',
    bound: null,
  },
  {
    target: 'sample-app-cache',
    baseline: 'bare',
    metric: rps,
    label: 'req/s',
    bound: { atLeast: 0.6 },
  },
  // The library and the sample app on Fastify, reported beside their Express twins.
  {
    target: 'sample-app-fastify',
    baseline: 'raw-pg',
    metric: rps,
    label: 'req/s',
    bound: null,
  },
  {
    target: 'guarded-pg-fastify',
    baseline: 'raw-pg',
    metric: rps,
    label: 'req/s',
    bound: null,
  },
  {
    target: 'guarded-pg-fastify',
    baseline: 'bare-fastify',
    metric: rps,
    label: 'req/s',
    bound: null,
  },
];

/** Writes per 1,000 GET /me: the same goal for the library alone and for the sample app. */
const WRITE_CHECKS: readonly { target: Target; bound: number | null }[] = [
  { target: 'guarded-pg', bound: 1 },
  { target: 'sample-app', bound: 1 },
];

/** The targets, as ratios measured on this run. */
export function checkTargets(report: BenchReport): TargetCheck[] {
  const { runs } = report;
  const checks: TargetCheck[] = [];
  for (const goal of RATIO_GOALS) {
    const ratio = pairedRatio(runs, goal.target, goal.baseline, goal.metric);
    if (ratio === null) continue;
    const { bound } = goal;
    const name = `${goal.target} ${goal.label} vs ${goal.baseline}`;
    if (bound === null) {
      checks.push({ name, required: INFORMATIONAL, measured: ratio.toFixed(2), met: null });
      continue;
    }
    checks.push(
      ratioCheck(
        name,
        ratio,
        'atLeast' in bound ? `≥ ${bound.atLeast.toFixed(2)}` : `≤ ${bound.atMost.toFixed(2)}`,
        'atLeast' in bound ? ratio >= bound.atLeast : ratio <= bound.atMost,
      ),
    );
  }
  const summaries = summarize(runs);
  for (const { target, bound } of WRITE_CHECKS) {
    const writes = summaries.find((s) => s.target === target)?.writesPer1k;
    if (writes === null || writes === undefined) continue;
    checks.push({
      name: `${target} writes per 1,000 GET /me (one session, default touchInterval)`,
      required: bound === null ? INFORMATIONAL : `≤ ${bound}`,
      measured: writes.toFixed(3),
      met: bound === null ? null : writes <= bound,
    });
  }
  const create = createRatio(report);
  if (create !== null) {
    checks.push({
      name: 'SessionService.create sessions/s vs raw INSERT',
      required: INFORMATIONAL,
      measured: create.toFixed(2),
      met: null,
    });
  }
  if (report.scale) {
    const small = median(report.scale.small.map((r) => r.load.requestsPerSecond));
    const large = median(report.scale.large.map((r) => r.load.requestsPerSecond));
    const ratio = large / small;
    checks.push(
      ratioCheck(
        `guarded-pg req/s at ${fmtInt(report.scale.large[0]?.sessions ?? 0)} vs ${fmtInt(report.scale.small[0]?.sessions ?? 0)} sessions`,
        ratio,
        '≥ 0.90',
        ratio >= 0.9,
      ),
    );
  }
  return checks;
}

function ratioCheck(name: string, ratio: number, required: string, met: boolean): TargetCheck {
  return { name, required, measured: ratio.toFixed(2), met };
}

/** The report as Markdown: what BENCHMARKS.md gets and what the console shows. */
export function renderMarkdown(report: BenchReport): string {
  const { settings } = report;
  const summary = summarize(report.runs);
  const ratio = (target: Target, baseline: Target, metric: RunMetric) => {
    const value = pairedRatio(report.runs, target, baseline, metric);
    return value === null ? '—' : `${value.toFixed(2)}×`;
  };
  const lines: string[] = [];

  lines.push(
    `## ${report.startedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC${settings.quick ? ' (quick mode)' : ''}`,
    '',
    Object.entries(report.environment)
      .map(([key, value]) => `${key}: ${value}`)
      .join('; ') + '.',
    '',
    `Settings: ${fmtInt(settings.sessions)} seeded sessions per target; autocannon with ` +
      `${settings.connections} connections, ${settings.warmupSeconds} s warm-up + ` +
      `${settings.durationSeconds} s measured per run; ${settings.rounds} round(s), order alternating; ` +
      `figures are medians over rounds, ratios the median of each round's own ratio. Run took ${Math.round((report.finishedAt.getTime() - report.startedAt.getTime()) / 1000)} s.`,
    '',
    '| target | req/s | p50 ms | p97.5 ms | p99 ms | non-2xx | errors | writes / 1k req | server CPU µs/req | DB CPU µs/req | req/s ÷ raw-pg | p99 ÷ raw-pg | server CPU ÷ raw-pg | req/s ÷ express-session-pg |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  );
  for (const s of summary) {
    lines.push(
      `| ${s.target} | ${fmtInt(s.requestsPerSecond)} | ${s.p50} | ${s.p97_5} | ${s.p99} | ${s.non2xx} | ${s.errors} | ` +
        `${fixed(s.writesPer1k, 2)} | ${fixed(s.serverCpuUs, 0)} | ${fixed(s.dbCpuUs, 0)} | ` +
        `${ratio(s.target, 'raw-pg', rps)} | ${ratio(s.target, 'raw-pg', p99)} | ` +
        `${ratio(s.target, 'raw-pg', serverCpu)} | ${ratio(s.target, 'express-session-pg', rps)} |`,
    );
  }
  lines.push(
    '',
    'CPU columns: CPU time per measured request of the server process (all threads, from /proc) ' +
      'and of the store: the PostgreSQL backends serving it (/proc), or the whole Redis server ' +
      '(its INFO cpu). They move less than req/s when other work shares the machine. Latencies ' +
      'are autocannon’s, in whole milliseconds.',
  );

  const checks = checkTargets(report);
  if (checks.length > 0) {
    lines.push('', '| target (issue) | required | measured | met |', '| --- | --- | ---: | --- |');
    for (const check of checks) {
      lines.push(
        `| ${check.name} | ${check.required} | ${check.measured} | ${check.met === null ? '—' : check.met ? 'yes' : '**no**'} |`,
      );
    }
  }

  if (report.scale) {
    const fmt = (runs: TargetRun[]) =>
      runs.map((r) => fmtInt(r.load.requestsPerSecond)).join(', ') +
      ` (median ${fmtInt(median(runs.map((r) => r.load.requestsPerSecond)))}; p99 ${median(runs.map((r) => r.load.latency.p99))} ms)`;
    lines.push(
      '',
      `Scale (guarded-pg, runs interleaved small/large/large/small): ` +
        `${fmtInt(report.scale.small[0]?.sessions ?? 0)} sessions → ${fmt(report.scale.small)} req/s; ` +
        `${fmtInt(report.scale.large[0]?.sessions ?? 0)} sessions → ${fmt(report.scale.large)} req/s ` +
        `(seeded in ${Math.round(report.scale.seedSeconds)} s).`,
    );
  }

  if (report.create.length > 0) {
    const first = report.create[0];
    lines.push(
      '',
      `Session creation (SessionService.create, maxSessionsPerUser 5 with evict-oldest, ` +
        `${first.concurrency} concurrent, ${fmtInt(first.users)} users, no password hashing, ` +
        `${first.seconds} s per run): ${throughput(report.create)}.`,
    );
  }
  if (report.rawInsert.length > 0) {
    const ratio = createRatio(report);
    lines.push(
      '',
      `Raw INSERT baseline (the same workers, users and timing; one parameterized INSERT of a ` +
        `fresh row each through a pg.Pool the size of the library's): ${throughput(report.rawInsert)}` +
        (ratio === null
          ? '.'
          : `; create ÷ raw INSERT ${ratio.toFixed(2)}× (per-round ratios' median).`),
    );
  }
  if (report.logLine !== null) {
    const { cpuMicrosPerLine, bytesPerLine, lines: count } = report.logLine;
    lines.push(
      '',
      `Request log line (the sample app's logger and request-line middleware, ${fmtInt(count)} ` +
        `lines to /dev/null, asynchronous as on stdout): ${cpuMicrosPerLine.toFixed(1)} µs of CPU ` +
        `and ${Math.round(bytesPerLine)} bytes per line.`,
    );
  }

  lines.push(
    '',
    '<details><summary>Every run</summary>',
    '',
    '| round | target | sessions | req/s | p50 | p97.5 | p99 | non-2xx | errors | writes | requests | writes / 1k | server CPU µs/req | DB CPU µs/req |',
    '| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  );
  const all = [
    ...report.runs,
    ...(report.scale ? [...report.scale.small, ...report.scale.large] : []),
  ];
  for (const run of all) {
    const w = writesPer1k(run);
    lines.push(
      `| ${run.round} | ${run.target} | ${fmtInt(run.sessions)} | ${fmtInt(run.load.requestsPerSecond)} | ${run.load.latency.p50} | ` +
        `${run.load.latency.p97_5} | ${run.load.latency.p99} | ${run.load.non2xx} | ${run.load.errors + run.load.timeouts} | ` +
        `${run.writes ?? '—'} | ${fmtInt(run.requests)} | ${fixed(w, 2)} | ${fixed(run.serverCpuUs, 0)} | ${fixed(run.dbCpuUs, 0)} |`,
    );
  }
  lines.push('', '</details>');

  if (report.failures.length > 0) {
    lines.push('', '**Failures:**', '', ...report.failures.map((f) => `- ${f}`));
  }
  return `${lines.join('\n')}\n`;
}

/** A create-style result over its runs: median rate, each run's, latency medians, errors. */
function throughput(runs: CreateRun[]): string {
  return (
    `${fmtInt(median(runs.map((c) => c.sessionsPerSecond)))} sessions/s ` +
    `(runs: ${runs.map((c) => fmtInt(c.sessionsPerSecond)).join(', ')}; ` +
    `p50 ${median(runs.map((c) => c.latencyMs.p50)).toFixed(2)} ms, ` +
    `p99 ${median(runs.map((c) => c.latencyMs.p99)).toFixed(2)} ms; ` +
    `errors ${runs.reduce((sum, c) => sum + c.errors, 0)})`
  );
}

function fixed(value: number | null, digits: number): string {
  return value === null ? '—' : value.toFixed(digits);
}

function fmtInt(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}
