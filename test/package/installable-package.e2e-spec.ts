import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { describeWithPostgres, postgresUrl } from '../support/requires-postgres';

const ROOT = resolve(__dirname, '../..');
const FIXTURE = join(__dirname, 'fixture-app');
/** What the throwaway app installs besides the tarball: the package's peers, at the repo's versions. */
const PEERS = [
  '@nestjs/common',
  '@nestjs/core',
  '@nestjs/platform-express',
  '@nestjs/event-emitter',
  '@nestjs/passport',
  '@nestjs/typeorm',
  'passport',
  'typeorm',
  'pg',
  'reflect-metadata',
  'rxjs',
];

/**
 * The library as a user gets it: built, packed with `npm pack`, installed from the tarball into a
 * fresh Nest app in a temp folder (no path alias, no access to the repo's sources), booted on
 * PostgreSQL with `SessionModule.forRoot()`; a login then reaches a guarded route.
 */
describeWithPostgres('the packed library installs and works in a fresh Nest app', () => {
  let workdir: string;
  let app: ChildProcess | undefined;
  let baseUrl: string;
  const schema = `pkg_${randomBytes(4).toString('hex')}`;

  beforeAll(async () => {
    workdir = mkdtempSync(join(tmpdir(), 'nest-session-pkg-'));
    const run = (cmd: string, args: string[], cwd = ROOT) =>
      execFileSync(cmd, args, { cwd, stdio: 'pipe', env: { ...process.env, CI: 'true' } });
    run('npx', ['nest', 'build', 'session']);
    run('node', ['scripts/prepare-lib-package.js']);
    run('npm', ['pack', join(ROOT, 'dist/libs/session'), '--pack-destination', workdir]);
    const tarball = readdirSync(workdir).find((file) => file.endsWith('.tgz'));
    if (!tarball) throw new Error('npm pack produced no tarball');

    const rootPackage = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    const version = (name: string): string =>
      rootPackage.dependencies[name] ?? rootPackage.devDependencies[name];
    const dependencies: Record<string, string> = { '@nest-session/core': `file:./${tarball}` };
    for (const name of PEERS) dependencies[name] = version(name);
    writeFileSync(
      join(workdir, 'package.json'),
      JSON.stringify({ name: 'throwaway-app', private: true, dependencies }, null, 2),
    );
    cpSync(FIXTURE, workdir, { recursive: true });
    run(
      'npm',
      ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts'],
      workdir,
    );
    run(
      'npm',
      [
        'install',
        '--no-save',
        '--prefer-offline',
        '--no-audit',
        '--no-fund',
        `@types/node@${version('@types/node')}`,
        `@types/express@${version('@types/express')}`,
      ],
      workdir,
    );
    run('node', [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], workdir);

    const admin = new Client({ connectionString: postgresUrl() });
    await admin.connect();
    await admin.query(`CREATE SCHEMA "${schema}"`);
    await admin.end();

    app = spawn('node', ['dist/main.js'], {
      cwd: workdir,
      env: { ...process.env, DATABASE_URL: postgresUrl(), DATABASE_SCHEMA: schema },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    baseUrl = await new Promise<string>((resolvePort, reject) => {
      let output = '';
      const timer = setTimeout(() => reject(new Error(`app did not start:\n${output}`)), 30_000);
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        const match = /LISTENING (\d+)/.exec(output);
        if (match) {
          clearTimeout(timer);
          resolvePort(`http://127.0.0.1:${match[1]}`);
        }
      };
      app!.stdout!.on('data', onData);
      app!.stderr!.on('data', onData);
      app!.once('exit', (code) => reject(new Error(`app exited with ${code}:\n${output}`)));
    });
  }, 240_000);

  afterAll(async () => {
    app?.kill('SIGTERM');
    const admin = new Client({ connectionString: postgresUrl() });
    await admin.connect();
    await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await admin.end();
    if (workdir) rmSync(workdir, { recursive: true, force: true });
  });

  it('ships typings and no app code', () => {
    const installed = join(workdir, 'node_modules/@nest-session/core');
    const files = readdirSync(installed, { recursive: true }).map(String);
    expect(files).toContain('index.d.ts');
    expect(files.some((file) => file.includes('sample-app'))).toBe(false);
  });

  it('logs in and reaches a guarded route; refuses it without a session', async () => {
    const login = await fetch(`${baseUrl}/login`, { method: 'POST' });
    expect(login.status).toBe(201);
    const { token } = (await login.json()) as { token: string };
    const me = await fetch(`${baseUrl}/me`, { headers: { authorization: `Bearer ${token}` } });
    expect(me.status).toBe(200);
    expect(await me.json()).toEqual({ userId: 'user-1' });
    const anonymous = await fetch(`${baseUrl}/me`);
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({ statusCode: 401, error: 'unauthorized' });
  });
});
