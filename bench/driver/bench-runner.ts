import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  BENCH_CLIENT_IP,
  type CreateResult,
  type LogLineResult,
  SESSION_COOKIE,
  type SampleAppTarget,
  type ServerEnv,
  type Target,
  isSampleAppTarget,
} from '../shared/bench-targets';
import { anyInterfacePort } from './any-interface-port';
import type { BenchDatabase, KnownSession } from './bench-database';
import { OUTPUT, ROOT, SERVER_MAIN, log, message } from './bench-output';
import type { BenchSettings } from './bench-settings';
import { collectEnvironment } from './environment';
import { type MeasureContext, type Prepared, measureTarget } from './measure-target';
import type { ProfiledRun } from './profile-summary';
import type { BenchReport, CreateRun, TargetRun } from './report';
import { SAMPLE_APP_MAIN, sampleAppLaunch } from './sample-app';
import { auditEventCounts, seedSampleApp } from './sample-app-database';
import { type Launch, ServerProcess } from './server-process';

const EXPRESS_SECRET = 'nest-session-bench-secret';

type CreateMode = 'create' | 'raw-insert';

/**
 * One benchmark run: seeds one schema per target, runs every target `rounds` times in
 * alternating order, then the scale phase and the create benchmark, collecting the report.
 * Everything it creates (schemas, Redis keys) carries the run's id and is removed by cleanup().
 */
export class BenchRunner implements MeasureContext {
  private readonly runId = `${process.pid}`;
  private readonly schemas = new Set<string>();
  private redisSeeded = false;
  private redisKnown: KnownSession | undefined;
  private readonly prepared = new Map<Target, Prepared>();
  readonly profiles: ProfiledRun[] = [];
  readonly report: BenchReport;

  constructor(
    readonly settings: BenchSettings,
    readonly db: BenchDatabase,
  ) {
    this.report = {
      startedAt: new Date(),
      finishedAt: new Date(),
      settings,
      environment: {},
      runs: [],
      failures: [],
      scale: null,
      create: [],
      rawInsert: [],
      logLine: null,
    };
  }

  async run(): Promise<void> {
    const { settings } = this;
    this.report.environment = await collectEnvironment(ROOT, this.db);
    log(`environment: ${JSON.stringify(this.report.environment)}`);
    await this.prepareAll();

    const targets = settings.targets.filter((t) => this.prepared.has(t));
    for (let round = 1; round <= settings.rounds; round++) {
      const order = round % 2 === 1 ? targets : [...targets].reverse();
      for (const target of order) {
        const prepared = this.prepared.get(target)!;
        const run = await measureTarget(this, {
          target,
          round,
          prepared,
          sessions: settings.sessions,
        });
        if (run) this.report.runs.push(run);
      }
    }

    await this.checkSampleAppQuiet();
    if (settings.largeSessions > 0 && targets.includes('guarded-pg')) await this.scalePhase();
    if (settings.createSeconds > 0) await this.createPhase();
    if (targets.includes('sample-app')) await this.logLinePhase();
  }

  /** The cost of the sample app's request log line, apart from everything else a request does. */
  private async logLinePhase(): Promise<void> {
    try {
      const result = await ServerProcess.runOnce<LogLineResult>(
        {
          main: SERVER_MAIN,
          env: this.serverEnv('log-line', null, `nest-session-bench-${this.runId}-log-line`),
          logFile: join(OUTPUT, 'logs', 'log-line.log'),
        },
        120_000,
      );
      log(
        `log-line: ${result.cpuMicrosPerLine.toFixed(1)} µs CPU per line, ` +
          `${Math.round(result.bytesPerLine)} bytes (${result.lines} lines)`,
      );
      this.report.logLine = result;
    } catch (error) {
      this.fail(`log-line: ${message(error)}`);
    }
  }

  async cleanup(): Promise<void> {
    if (this.settings.keepData) {
      log(`keeping schemas: ${[...this.schemas].join(', ')}`);
      return;
    }
    for (const schema of this.schemas) await this.db.dropSchema(schema).catch(() => undefined);
    if (this.redisSeeded) {
      await ServerProcess.runOnce(
        {
          main: SERVER_MAIN,
          env: this.serverEnv('clear-redis', null, 'nest-session-bench-clear'),
          logFile: join(OUTPUT, 'logs', 'clear-redis.log'),
        },
        60_000,
      ).catch((error: unknown) => log(`could not clear the Redis keys: ${message(error)}`));
    }
  }

  private schemaFor(name: string): string {
    const schema = `bench_${this.runId}_${name.replace(/-/g, '_')}`;
    this.schemas.add(schema);
    return schema;
  }

  private async prepareAll(): Promise<void> {
    const { sessions } = this.settings;
    for (const target of this.settings.targets) {
      const started = Date.now();
      switch (target) {
        case 'bare':
        case 'bare-fastify':
          this.prepared.set(target, { schema: null, known: null, path: '/bare', store: null });
          continue;
        case 'guarded-pg':
        case 'guarded-pg-fastify':
        case 'guarded-pg-cache':
        case 'raw-pg': {
          // raw-pg reads the library's own table layout, in a schema of its own, so neither
          // target's write counters or row versions leak into the other's.
          const schema = this.schemaFor(target);
          await this.db.createLibrarySchema(schema);
          const known = await this.db.seedLibrarySessions(schema, sessions);
          this.prepared.set(target, { schema, known, path: '/me', store: 'pg' });
          break;
        }
        case 'express-session-pg': {
          const schema = this.schemaFor(target);
          const known = await this.db.seedExpressSessions(schema, sessions, EXPRESS_SECRET);
          this.prepared.set(target, { schema, known, path: '/me', store: 'pg' });
          break;
        }
        case 'sample-app':
        case 'sample-app-cache':
        case 'sample-app-fastify':
          try {
            this.prepared.set(target, await this.prepareSampleApp(target, sessions));
          } catch (error) {
            this.fail(`${target}: ${message(error)}`);
            continue;
          }
          break;
        case 'guarded-redis':
        case 'raw-redis': {
          // Both read the same seeded keys: seed once.
          const known = this.redisKnown ?? (this.redisKnown = await this.seedRedis(sessions));
          this.prepared.set(target, { schema: null, known, path: '/me', store: 'redis' });
          break;
        }
      }
      log(
        `seeded ${target}: ${sessions.toLocaleString('en-US')} sessions in ${Date.now() - started} ms`,
      );
    }
  }

  /**
   * The sample app's schema: empty, migrated by one start of the app itself (as at any deploy),
   * then seeded with SQL once the app is gone.
   */
  private async prepareSampleApp(target: SampleAppTarget, sessions: number): Promise<Prepared> {
    if (!existsSync(SAMPLE_APP_MAIN)) {
      throw new Error(`${SAMPLE_APP_MAIN} is missing: run npm run build (npm run bench does)`);
    }
    const schema = this.schemaFor(target);
    const appName = this.appName(target);
    await this.db.createEmptySchema(schema);
    const server = await ServerProcess.start({
      ...(await this.launch(target, schema, appName)),
      logFile: join(OUTPUT, 'logs', `${target}-migrate.log`),
    });
    await server.stop();
    await this.db.waitForDisconnect(appName);
    // Seeded with the address the app will see the load come from, so anomaly checks stay quiet.
    // On Fastify the app binds 0.0.0.0 (IPv4): the load arrives unmapped.
    const clientIp =
      target === 'sample-app-fastify' ? BENCH_CLIENT_IP : (await anyInterfacePort()).clientIp;
    const known = await seedSampleApp(this.db, schema, sessions, clientIp);
    return { schema, known, path: '/me', store: 'pg' };
  }

  /**
   * Fails the run if the sample app saw an anomaly (the seeded ip or user agent did not match the
   * load's): then it measured event writes, not validation. Other events are only logged.
   */
  private async checkSampleAppQuiet(): Promise<void> {
    for (const target of this.settings.targets.filter(isSampleAppTarget)) {
      const schema = this.prepared.get(target)?.schema;
      if (!schema) continue;
      const counts = await auditEventCounts(this.db, schema);
      const listed = [...counts].map(([type, n]) => `${type} ×${n}`).join(', ');
      log(`${target}: audit events written: ${listed || 'none'}`);
      const anomalies = [...counts.keys()].filter((type) => type.includes('anomaly'));
      if (anomalies.length > 0) this.fail(`${target}: anomaly detection fired (${listed})`);
    }
  }

  /** Seeds through the store's own create(): its key layout is the store's business. */
  private async seedRedis(sessions: number): Promise<KnownSession> {
    const token = randomBytes(32).toString('base64url');
    this.redisSeeded = true;
    await ServerProcess.runOnce(
      {
        main: SERVER_MAIN,
        env: {
          ...this.serverEnv('seed-redis', null, 'nest-session-bench-seed'),
          BENCH_SEED_SESSIONS: String(sessions),
          BENCH_KNOWN_TOKEN: token,
        },
        logFile: join(OUTPUT, 'logs', 'seed-redis.log'),
      },
      600_000,
    );
    return { userId: 'bench-user', cookie: `${SESSION_COOKIE}=${token}` };
  }

  /** guarded-pg on `largeSessions` against `sessions`, interleaved small/large/large/small. */
  private async scalePhase(): Promise<void> {
    const { settings } = this;
    const small = this.prepared.get('guarded-pg')!;
    const schema = this.schemaFor('guarded-pg-large');
    const started = Date.now();
    await this.db.createLibrarySchema(schema);
    const known = await this.db.seedLibrarySessions(schema, settings.largeSessions, (rows) => {
      if (rows < settings.largeSessions) {
        log(`seeding guarded-pg (large): ${rows.toLocaleString('en-US')} rows`);
      }
    });
    const seedSeconds = (Date.now() - started) / 1000;
    log(
      `seeded guarded-pg (large): ${settings.largeSessions.toLocaleString('en-US')} sessions in ${seedSeconds.toFixed(1)} s`,
    );
    const large: Prepared = { schema, known, path: '/me', store: 'pg' };
    const scale = { small: [] as TargetRun[], large: [] as TargetRun[], seedSeconds };
    const plan: ['small' | 'large', Prepared, number][] = [
      ['small', small, settings.sessions],
      ['large', large, settings.largeSessions],
      ['large', large, settings.largeSessions],
      ['small', small, settings.sessions],
    ];
    let round = 1;
    for (const [size, prepared, sessions] of plan) {
      const run = await measureTarget(this, {
        target: 'guarded-pg',
        round: round++,
        prepared,
        sessions,
      });
      if (run) scale[size].push(run);
    }
    if (scale.small.length > 0 && scale.large.length > 0) this.report.scale = scale;
    await this.db.dropSchema(schema);
  }

  /**
   * SessionService.create throughput and its raw INSERT baseline, both once per round (in
   * alternating order, like the targets), each on a fresh empty schema.
   */
  private async createPhase(): Promise<void> {
    const modes: CreateMode[] = ['create', 'raw-insert'];
    for (let round = 1; round <= this.settings.rounds; round++) {
      for (const mode of round % 2 === 1 ? modes : [...modes].reverse()) {
        const run = await this.createRun(mode, round);
        if (run) (mode === 'create' ? this.report.create : this.report.rawInsert).push(run);
      }
    }
  }

  private async createRun(mode: CreateMode, round: number): Promise<CreateRun | null> {
    const { settings } = this;
    const label = `${mode} round ${round}`;
    const schema = this.schemaFor(mode);
    await this.db.createLibrarySchema(schema);
    try {
      const result = await ServerProcess.runOnce<CreateResult>(
        {
          main: SERVER_MAIN,
          env: this.serverEnv(mode, schema, `nest-session-bench-${this.runId}-${mode}`),
          logFile: join(OUTPUT, 'logs', `${mode}-r${round}.log`),
        },
        (settings.createSeconds + 60) * 1000,
      );
      log(
        `${label}: ${Math.round(result.sessionsPerSecond)} sessions/s ` +
          `(${result.created} in ${result.seconds} s, p50 ${result.latencyMs.p50} ms, p99 ${result.latencyMs.p99} ms, errors ${result.errors})`,
      );
      if (result.errors > 0) this.fail(`${label}: ${result.errors} errors`);
      return { ...result, round };
    } catch (error) {
      this.fail(`${label}: ${message(error)}`);
      return null;
    }
  }

  appName(target: Target): string {
    return `nest-session-bench-${this.runId}-${target}`;
  }

  async launch(target: Target, schema: string | null, appName: string): Promise<Launch> {
    if (!isSampleAppTarget(target)) {
      return { main: SERVER_MAIN, env: this.serverEnv(target, schema, appName) };
    }
    if (schema === null) throw new Error(`${target} needs a schema`);
    return sampleAppLaunch(target, { url: this.settings.databaseUrl, schema }, appName);
  }

  serverEnv(mode: ServerEnv['BENCH_MODE'], schema: string | null, appName: string): ServerEnv {
    const { settings } = this;
    return {
      BENCH_MODE: mode,
      PORT: '0',
      DATABASE_URL: settings.databaseUrl,
      BENCH_SCHEMA: schema ?? 'public',
      BENCH_APP_NAME: appName,
      REDIS_URL: settings.redisUrl,
      BENCH_REDIS_PREFIX: `nest-session-bench-${this.runId}`,
      BENCH_CREATE_SECONDS: String(settings.createSeconds),
      BENCH_CREATE_CONCURRENCY: String(settings.createConcurrency),
      BENCH_CREATE_USERS: String(settings.createUsers),
      BENCH_EXPRESS_SECRET: EXPRESS_SECRET,
    };
  }

  fail(text: string): void {
    log(`FAILED ${text}`);
    this.report.failures.push(text);
  }
}
