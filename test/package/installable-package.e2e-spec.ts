import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { Client } from 'pg';
import { describeWithPostgres, postgresUrl } from '../support/requires-postgres';
import { FixtureProcess, prepareFixture, repoVersion, ROOT, run } from './support/fixture-app';
import { type ReadmeBlock, readmeBlocks } from './support/readme-snippets';

const blocks: ReadmeBlock[] = [
  ...readmeBlocks(join(ROOT, 'README.md'), 'README.md'),
  ...readmeBlocks(join(ROOT, 'libs/session/README.md'), 'libs/session/README.md'),
];
const snippets = blocks.filter((block) => block.kind === 'snippet');
/** The Nest 12 minor the CommonJS app pins: the package must accept every 12.x, not only ours. */
const OLDEST_NEST = '12.0.4';
const REDIS_URL = 'redis://127.0.0.1:6379/15';
const user = { email: 'ada@example.com', password: 'correct horse battery' };

const json = { 'content-type': 'application/json' };
const cookieOf = (response: Response): string =>
  (response.headers.getSetCookie()[0] ?? '').split(';')[0];

describe('README usage examples', () => {
  it('are all snippets that run, or excerpts marked as such', () => {
    expect(blocks.filter((b) => b.kind === 'unmarked').map((b) => `${b.readme}:${b.line}`)).toEqual(
      [],
    );
    expect(snippets.length).toBeGreaterThanOrEqual(10);
    expect(snippets.some((s) => s.readme === 'libs/session/README.md')).toBe(true);
  });
});

/**
 * The library as a user gets it: built, packed with `npm pack`, installed from the tarball into
 * fresh Nest apps (no path alias, no access to the repository's sources) with only the peers each
 * uses, the README's snippets written into them as they stand, compiled with `skipLibCheck:
 * false`, booted and driven over HTTP.
 */
describeWithPostgres('the packed library in fresh Nest apps, README snippets as written', () => {
  let workdir: string;
  let tarball: string;
  let databaseUrl: string;
  const schema = `pkg_${randomBytes(4).toString('hex')}`;

  beforeAll(async () => {
    workdir = mkdtempSync(join(tmpdir(), 'nest-session-pkg-'));
    run('npx', ['nest', 'build', 'session'], ROOT);
    run('node', ['scripts/prepare-lib-package.js'], ROOT);
    run('npm', ['pack', join(ROOT, 'dist/libs/session'), '--pack-destination', workdir], ROOT);
    tarball = join(
      workdir,
      readdirSync(workdir).find((file) => file.endsWith('.tgz'))!,
    );
    const admin = new Client({ connectionString: postgresUrl() });
    await admin.connect();
    await admin.query(`CREATE SCHEMA "${schema}"`);
    await admin.end();
    // Unqualified table names (the store's and the migrations table) land in this schema.
    const url = new URL(postgresUrl());
    url.searchParams.set('options', `-c search_path=${schema}`);
    databaseUrl = url.toString();
  }, 120_000);

  afterAll(async () => {
    const admin = new Client({ connectionString: postgresUrl() });
    await admin.connect();
    await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await admin.end();
    if (workdir) rmSync(workdir, { recursive: true, force: true });
  });

  describe('a CommonJS app on PostgreSQL, Nest 12.0', () => {
    let dir: string;

    beforeAll(() => {
      const nest = (name: string) => [name, OLDEST_NEST];
      dir = prepareFixture(workdir, 'cjs-app', snippets, {
        dependencies: {
          '@nest-session/core': `file:${tarball}`,
          ...Object.fromEntries(
            ['@nestjs/common', '@nestjs/core', '@nestjs/platform-express', '@nestjs/testing'].map(
              nest,
            ),
          ),
          ...Object.fromEntries(
            [
              '@nestjs/config',
              '@nestjs/event-emitter',
              '@nestjs/typeorm',
              '@nestjs/passport',
              'passport',
              'typeorm',
              'pg',
              'reflect-metadata',
              'rxjs',
            ].map((name) => [name, repoVersion(name)]),
          ),
        },
        devDependencies: Object.fromEntries(
          [
            'typescript',
            '@types/node',
            '@types/express',
            '@types/jest',
            '@types/supertest',
            'jest',
            '@swc/jest',
            '@swc/core',
            'supertest',
          ].map((name) => [name, repoVersion(name)]),
        ),
      });
      run('npx', ['tsc', '-p', 'tsconfig.json'], dir);
    }, 300_000);

    const start = (module: string, env: NodeJS.ProcessEnv = {}) =>
      FixtureProcess.start(dir, 'dist/src/main.js', {
        DATABASE_URL: databaseUrl,
        APP_MODULE: module,
        ...env,
      });

    const login = (app: FixtureProcess) =>
      app.fetch('/auth/login', { method: 'POST', headers: json, body: JSON.stringify(user) });

    it('installed no optional peer the app does not name, and compiled every snippet', () => {
      expect(existsSync(join(dir, 'node_modules/ioredis'))).toBe(false);
      expect(existsSync(join(dir, 'dist/src/auth.controller.js'))).toBe(true);
    });

    it('forRoot: login, a guarded route, logout, the event listener, a @Public() route', async () => {
      const app = await start('./app.module');
      try {
        expect((await app.fetch('/health')).status).toBe(200);
        expect((await app.fetch('/me')).status).toBe(401);
        const signedIn = await login(app);
        expect(signedIn.status).toBe(200);
        const { csrfToken } = (await signedIn.json()) as { csrfToken: string };
        const cookie = cookieOf(signedIn);
        expect(cookie).toMatch(/^__Host-sid=[A-Za-z0-9_-]{43}$/);
        const me = await app.fetch('/me', { headers: { cookie } });
        expect(me.status).toBe(200);
        expect(await me.json()).toMatchObject({ userId: 'user-1', user: null });
        const logout = await app.fetch('/auth/logout', {
          method: 'POST',
          headers: { cookie, 'x-csrf-token': csrfToken },
        });
        expect(logout.status).toBe(204);
        expect((await app.fetch('/me', { headers: { cookie } })).status).toBe(401);
        await waitFor(() => /AUDIT .*"session.revoked"/.test(app.output));
        expect(app.output).toMatch(/AUDIT .*"session.created"/);
      } finally {
        await app.stop();
      }
    });

    it('forRootAsync with env strings from ConfigService, resolveUser and the reject limit', async () => {
      const app = await start('./app-async.module', {
        SESSION_IDLE_TIMEOUT_SECONDS: '900',
        SESSION_MAX_PER_USER: '2',
      });
      try {
        const first = await login(app);
        expect(first.status).toBe(200);
        const me = (await (
          await app.fetch('/me', { headers: { cookie: cookieOf(first) } })
        ).json()) as {
          expiresAt: string;
          user: unknown;
        };
        const idleSeconds = (Date.parse(me.expiresAt) - Date.now()) / 1000;
        expect(idleSeconds).toBeGreaterThan(890);
        expect(idleSeconds).toBeLessThanOrEqual(900);
        expect(me.user).toEqual({ id: 'user-1', email: user.email });
        // SESSION_MAX_PER_USER=2 with the reject strategy (the forRoot app's session was ended).
        expect((await login(app)).status).toBe(200);
        const third = await login(app);
        expect(third.status).toBe(409);
        expect(await third.json()).toMatchObject({
          statusCode: 409,
          error: 'session_limit_reached',
        });
      } finally {
        await app.stop();
      }
    });

    it('forRootAsync useClass with a store given as a provider', async () => {
      const app = await start('./app-class.module', { SESSION_IDLE_TIMEOUT_SECONDS: '120' });
      try {
        const signedIn = await login(app);
        const me = (await (
          await app.fetch('/me', { headers: { cookie: cookieOf(signedIn) } })
        ).json()) as {
          expiresAt: string;
        };
        expect((Date.parse(me.expiresAt) - Date.now()) / 1000).toBeLessThanOrEqual(120);
      } finally {
        await app.stop();
      }
    });

    it('the Passport strategy from /passport answers like the guard', async () => {
      const app = await start('./app-passport.module');
      try {
        expect((await app.fetch('/passport/me')).status).toBe(401);
        const signedIn = await login(app);
        const me = await app.fetch('/passport/me', { headers: { cookie: cookieOf(signedIn) } });
        expect(me.status).toBe(200);
        expect(await me.json()).toMatchObject({ userId: 'user-1' });
      } finally {
        await app.stop();
      }
    });

    it("boots the library README's module", async () => {
      const app = await start('./lib-readme.module');
      try {
        expect((await app.fetch('/nothing-here')).status).toBe(404);
      } finally {
        await app.stop();
      }
    });

    it("runs the user's own tests: /testing helpers, signInAs and the published store conformance suite", () => {
      // A failing test makes jest exit non-zero, which `run` turns into a thrown error.
      const report = JSON.parse(
        run('npx', ['jest', '--ci', '--json'], dir, { DATABASE_URL: databaseUrl }),
      ) as {
        numTotalTestSuites: number;
        numFailedTests: number;
        numPassedTests: number;
      };
      expect(report).toMatchObject({ numTotalTestSuites: 3, numFailedTests: 0 });
      // The conformance suite alone holds dozens of tests.
      expect(report.numPassedTests).toBeGreaterThanOrEqual(30);
    }, 180_000);
  });

  describe('an ESM app on Redis only: no TypeORM, no passport', () => {
    let dir: string;

    beforeAll(() => {
      dir = prepareFixture(workdir, 'esm-redis-app', snippets, {
        type: 'module',
        dependencies: {
          '@nest-session/core': `file:${tarball}`,
          ...Object.fromEntries(
            [
              '@nestjs/common',
              '@nestjs/core',
              '@nestjs/platform-express',
              '@nestjs/event-emitter',
              'ioredis',
              'reflect-metadata',
              'rxjs',
            ].map((name) => [name, repoVersion(name)]),
          ),
        },
        devDependencies: {
          typescript: repoVersion('typescript'),
          '@types/node': repoVersion('@types/node'),
        },
      });
      run('npx', ['tsc', '-p', 'tsconfig.json'], dir);
    }, 300_000);

    afterAll(async () => {
      const redis = new Redis(REDIS_URL);
      const keys = await redis.keys('sess:*');
      if (keys.length > 0) await redis.del(...keys);
      await redis.quit();
    });

    it('installs without TypeORM, passport or @nestjs/testing', () => {
      for (const name of [
        'typeorm',
        '@nestjs/typeorm',
        'passport',
        '@nestjs/passport',
        '@nestjs/testing',
      ]) {
        expect([name, existsSync(join(dir, 'node_modules', name))]).toEqual([name, false]);
      }
    });

    it('issues a session, guards a route and revokes it, on Redis', async () => {
      const app = await FixtureProcess.start(dir, 'dist/main.js', { REDIS_URL });
      try {
        const issued = (await (await app.fetch('/token', { method: 'POST' })).json()) as {
          token: string;
        };
        const bearer = { authorization: `Bearer ${issued.token}` };
        expect((await app.fetch('/me', { headers: bearer })).status).toBe(200);
        expect((await app.fetch('/logout', { method: 'POST', headers: bearer })).status).toBe(204);
        expect((await app.fetch('/me', { headers: bearer })).status).toBe(401);
      } finally {
        await app.stop();
      }
    });
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
