import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BenchDatabase } from './bench-database';
import { OUTPUT, PROFILES, log, message } from './bench-output';
import { BenchRunner } from './bench-runner';
import { readBenchSettings } from './bench-settings';
import { appendToBenchmarks } from './benchmarks-file';
import { summarizeProfiles } from './profile-summary';
import { checkTargets, renderMarkdown } from './report';

/**
 * `npm run bench`: runs the benchmark (see bench-runner.ts), prints the report, writes it and the
 * raw results to bench-output/ and, unless quick or profiled, appends it to BENCHMARKS.md.
 * Exits 1 when a target failed to start, answered non-2xx or errored (what CI's quick run checks),
 * and under BENCH_STRICT=1 also when a performance target is missed.
 */
async function main(): Promise<number> {
  const settings = readBenchSettings(process.env);
  mkdirSync(OUTPUT, { recursive: true });
  // Profiles of earlier runs would be summarized with this run's.
  if (settings.profile) rmSync(PROFILES, { recursive: true, force: true });
  log(
    `${settings.quick ? 'quick mode' : 'full run'}: targets ${settings.targets.join(', ')}; ` +
      `${settings.rounds} round(s) × ${settings.warmupSeconds}+${settings.durationSeconds} s, ` +
      `${settings.connections} connections, ${settings.sessions.toLocaleString('en-US')} sessions` +
      (settings.largeSessions > 0
        ? `, scale phase at ${settings.largeSessions.toLocaleString('en-US')}`
        : ''),
  );
  const db = new BenchDatabase(settings.databaseUrl);
  const bench = new BenchRunner(settings, db);
  const interrupted = () => {
    log('interrupted: dropping the bench schemas');
    void bench.cleanup().finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);

  try {
    await bench.run();
  } catch (error) {
    bench.report.failures.push(`aborted: ${message(error)}`);
    log(`ABORTED: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  } finally {
    await bench.cleanup();
    await db.close();
  }

  const { report } = bench;
  report.finishedAt = new Date();
  const markdown = renderMarkdown(report);
  const stamp = report.startedAt.toISOString().replace(/[:.]/g, '-');
  writeFileSync(join(OUTPUT, `report-${stamp}.md`), markdown);
  writeFileSync(join(OUTPUT, `results-${stamp}.json`), `${JSON.stringify(report, null, 2)}\n`);
  process.stdout.write(`\n${markdown}`);

  if (settings.profile) {
    const summary = summarizeProfiles(bench.profiles);
    writeFileSync(join(OUTPUT, `profile-summary-${stamp}.md`), summary);
    process.stdout.write(`\n${summary}`);
  }

  const complete = report.failures.length === 0;
  if (settings.append && complete) {
    await appendToBenchmarks(markdown);
    log('appended to BENCHMARKS.md');
  } else if (settings.append) {
    log('not appended to BENCHMARKS.md: the run had failures');
  }

  const missed = checkTargets(report).filter((c) => c.met === false);
  if (!complete) {
    log(`${report.failures.length} failure(s): see above and bench-output/logs/`);
    return 1;
  }
  if (settings.strict && missed.length > 0) {
    log(`BENCH_STRICT: ${missed.length} target(s) missed`);
    return 1;
  }
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    log(`ERROR: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(1);
  },
);
