import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { resolve } from 'node:path';
import { Redis } from 'ioredis';
import { Client } from 'pg';
import * as prettier from 'prettier';
import { AppUnderTest } from './soak/app-under-test';
import { SoakClient } from './soak/soak-client';
import { SoakStats } from './soak/soak-stats';
import { VirtualUser } from './soak/virtual-user';

/*
 * npm run soak — mixed traffic (registrations, logins, /me, listing, revocations, logouts,
 * password changes) from SOAK_USERS virtual users against the built sample app on loopback, for
 * SOAK_SECONDS or SOAK_MAX_REQUESTS, whichever comes first; then a report: requests, unexpected
 * answers by route and status, p50/p99 latency, and the app's RSS at start, peak and end.
 *
 *   SOAK_SECONDS [300]  SOAK_USERS [16]  SOAK_MAX_REQUESTS [5000000]
 *   SOAK_SESSION_STORE ['postgres'|'redis']  REDIS_URL [redis://127.0.0.1:6379] (own key prefix, deleted)
 *   SOAK_DATABASE_URL | DATABASE_URL [postgres://postgres@127.0.0.1:5432/test] (own schema, dropped)
 *   SOAK_APPEND=1 appends the report to BENCHMARKS.md; it is always printed.
 * Exit code 1 when any answer was unexpected or the app did not exit 0 on SIGTERM.
 */
const ROOT = resolve(__dirname, '../../..');
const MAIN = resolve(ROOT, 'dist/apps/sample-app/apps/sample-app/src/main.js');
const SESSION_LIMIT = 5;
const seconds = positive('SOAK_SECONDS', 300);
const users = positive('SOAK_USERS', 16);
const maxRequests = positive('SOAK_MAX_REQUESTS', 5_000_000);
const store = process.env.SOAK_SESSION_STORE === 'redis' ? 'redis' : 'postgres';
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const databaseUrl =
  process.env.SOAK_DATABASE_URL ??
  process.env.DATABASE_URL ??
  'postgres://postgres@127.0.0.1:5432/test';

async function main(): Promise<void> {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run npm run build first`);
  const schema = `soak_${randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: databaseUrl });
  await admin.connect();
  await admin.query(`CREATE SCHEMA "${schema}"`);
  let app: AppUnderTest | undefined;
  try {
    app = await AppUnderTest.start(MAIN, {
      DATABASE_URL: databaseUrl,
      DATABASE_SCHEMA: schema,
      SESSION_MAX_PER_USER: String(SESSION_LIMIT),
      SESSION_STORE: store,
      REDIS_URL: redisUrl,
      REDIS_KEY_PREFIX: schema,
    });
    const report = await soak(app);
    console.log(report.text);
    if (process.env.SOAK_APPEND === '1') await appendToBenchmarks(report.text);
    else {
      mkdirSync(resolve(ROOT, 'bench-output'), { recursive: true });
      writeFileSync(resolve(ROOT, 'bench-output/soak-report.md'), report.text);
    }
    if (!report.clean) process.exitCode = 1;
  } finally {
    await app?.stop();
    await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await admin.end();
    if (store === 'redis') await deleteRedisKeys(schema);
  }
}

/** The run's session keys (they would otherwise live until their retention ends). */
async function deleteRedisKeys(prefix: string): Promise<void> {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await redis.unlink(...keys);
    } while (cursor !== '0');
  } finally {
    await redis.quit();
  }
}

async function soak(app: AppUnderTest): Promise<{ text: string; clean: boolean }> {
  const stats = new SoakStats();
  const client = new SoakClient(app.url, stats);
  const rssStart = app.rssMb();
  let rssPeak = rssStart ?? 0;
  const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, app.rssMb() ?? 0)), 1000);
  const started = Date.now();
  const deadline = started + seconds * 1000;
  const progress = setInterval(() => log(`${stats.total} requests, RSS ${app.rssMb()} MB`), 10_000);
  await Promise.all(
    Array.from({ length: users }, async () => {
      const user = new VirtualUser(client, SESSION_LIMIT);
      while (Date.now() < deadline && stats.total < maxRequests) await user.step();
    }),
  );
  const elapsed = (Date.now() - started) / 1000;
  clearInterval(sampler);
  clearInterval(progress);
  const rssEnd = app.rssMb();
  const exitCode = await app.stop();
  const unexpected = [...stats.unexpected.entries()];
  const overall = stats.overall();
  const lines = [
    '',
    `## Soak run — ${new Date().toISOString().slice(0, 10)}, ${Math.round(elapsed)} s, sessions in ${store === 'redis' ? 'Redis' : 'PostgreSQL'}`,
    '',
    `\`SOAK_SECONDS=${seconds} npm run soak\` (scripts/soak.ts): ${users} virtual users in one Node process,`,
    `each sending its next request when the last one is answered (closed loop, keep-alive), against the built`,
    `sample app (one process, \`NODE_ENV=production\`) on loopback; PostgreSQL and Redis on the same machine.`,
    `Machine: ${cpus().length} × ${cpus()[0]?.model.trim() ?? 'unknown CPU'}, Node ${process.version}. Mix per step: /me 50, listing 15,`,
    `login 10, logout 6, revoke one session 5, register (+login) 3, password change 2 (re-authenticating when`,
    `403 reauth_required); limit ${SESSION_LIMIT} sessions per user, evict-oldest. Load generator, app and`,
    `databases share the machine's cores, so latencies include queueing behind the argon2 work of`,
    `logins, registrations and password changes; the run's point is stability (errors, memory), not speed.`,
    '',
    `- Requests: **${stats.total}** (${Math.round(stats.total / elapsed)}/s); by status: ${stats.byStatus()}.`,
    `- Unexpected answers (5xx, network errors, a status the scenario did not allow): **${unexpected.reduce((n, [, c]) => n + c, 0)}**${unexpected.length ? ` — ${unexpected.map(([k, c]) => `${k} ×${c}`).join('; ')}` : ''}.`,
    `- Latency, all requests: p50 ${overall.p50.toFixed(1)} ms, p99 ${overall.p99.toFixed(1)} ms.`,
    `- App RSS: ${rssStart} MB at start (after boot), ${rssPeak} MB peak, ${rssEnd} MB at the end; exit code on SIGTERM: ${exitCode}.`,
    '',
    '| route | requests | p50 ms | p99 ms | statuses |',
    '| --- | ---: | ---: | ---: | --- |',
    ...stats
      .routes()
      .map(
        (r) =>
          `| ${r.route} | ${r.count} | ${r.p50.toFixed(1)} | ${r.p99.toFixed(1)} | ${r.statuses} |`,
      ),
    '',
  ];
  return { text: lines.join('\n'), clean: unexpected.length === 0 && exitCode === 0 };
}

/**
 * Appends to BENCHMARKS.md (created from bench/BENCHMARKS.header.md, as npm run bench does), then
 * formats the file with the repository's Prettier config: `npm run lint` checks it.
 */
async function appendToBenchmarks(section: string): Promise<void> {
  const file = resolve(ROOT, 'BENCHMARKS.md');
  const header = resolve(ROOT, 'bench/BENCHMARKS.header.md');
  const before = existsSync(file)
    ? readFileSync(file, 'utf8')
    : existsSync(header)
      ? readFileSync(header, 'utf8')
      : '# Benchmarks\n';
  const options = (await prettier.resolveConfig(file)) ?? {};
  writeFileSync(
    file,
    await prettier.format(`${before}\n${section}`, { ...options, filepath: file }),
  );
}

function positive(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer`);
  return value;
}

function log(message: string): void {
  console.error(`[soak] ${message}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
