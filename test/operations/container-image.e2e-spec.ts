import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

/**
 * The image and compose files, checked as text: this machine has no Docker engine, so nothing here
 * builds or runs them. What is checked is what a review would: the base is a supported LTS pinned to
 * the release CI tests, installs run no scripts, the probe is liveness, migrations run once as a
 * step, and Redis appears only with the Redis store.
 */
const ROOT = join(__dirname, '../..');
const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');

interface ComposeService {
  image?: string;
  build?: unknown;
  command?: string[];
  depends_on?: Record<string, { condition: string }>;
  environment?: Record<string, string>;
}
const compose = (file: string) =>
  parse(read(file), { merge: true }) as { services: Record<string, ComposeService> };

describe('Dockerfile', () => {
  const dockerfile = read('Dockerfile');
  const packageJson = JSON.parse(read('package.json')) as { scripts: Record<string, string> };

  it('builds on an exact Node LTS release, the one .ci/run tests (node24 step)', () => {
    const image = /^ARG NODE_IMAGE=node:(\d+)\.(\d+)\.(\d+)-[a-z]+-slim$/m.exec(dockerfile);
    expect(image).not.toBeNull();
    const [, major, minor, patch] = image!;
    // Even majors become LTS; 20 reached end of life in April 2026.
    expect(Number(major) % 2).toBe(0);
    expect(Number(major)).toBeGreaterThanOrEqual(22);
    const tested = /^NODE24_VERSION=(\S+)$/m.exec(read('.ci/run'))?.[1];
    expect(tested).toBe(`${major}.${minor}.${patch}`);
    expect(dockerfile.match(/^FROM \$\{NODE_IMAGE\}/gm)).toHaveLength(2);
  });

  it('runs no install scripts', () => {
    const runs = dockerfile.split('\n').filter((line) => line.startsWith('RUN '));
    const installs = runs
      .flatMap((run) => run.split('&&'))
      .filter((c) => /npm (ci|install|prune)/.test(c));
    expect(installs.length).toBeGreaterThan(0);
    for (const install of installs) expect(install).toContain('--ignore-scripts');
  });

  it('probes liveness and starts the app as start:prod does, as the node user', () => {
    expect(dockerfile).toMatch(/^HEALTHCHECK .*\n\s+CMD .*\/health\/live/m);
    const cmd = JSON.parse(/^CMD (\[.*\])$/m.exec(dockerfile)![1]) as string[];
    expect(cmd.join(' ')).toBe(packageJson.scripts['start:prod']);
    expect(dockerfile).toMatch(/^USER node$/m);
  });
});

describe('docker-compose.yml', () => {
  const { services } = compose('docker-compose.yml');
  const packageJson = JSON.parse(read('package.json')) as { scripts: Record<string, string> };

  it('pins every image it pulls to a release', () => {
    for (const service of Object.values(services)) {
      if (service.build !== undefined) continue;
      expect(service.image).toMatch(/:\d+\.\d+/);
    }
  });

  it('runs the migrations once, as npm run migrate does, before the app, which then skips them', () => {
    expect(services.migrate.command?.join(' ')).toBe(packageJson.scripts.migrate);
    expect(services['sample-app'].depends_on?.migrate).toEqual({
      condition: 'service_completed_successfully',
    });
    expect(services['sample-app'].environment?.RUN_MIGRATIONS).toBe('false');
    expect(services['sample-app'].environment?.DATABASE_URL).toBe(
      services.migrate.environment?.DATABASE_URL,
    );
  });

  it('has no Redis unless the Redis store is chosen (docker-compose.redis.yml)', () => {
    expect(services.redis).toBeUndefined();
    const redis = compose('docker-compose.redis.yml').services;
    expect(redis.redis.image).toMatch(/^redis:\d+\.\d+/);
    expect(redis['sample-app'].environment?.SESSION_STORE).toBe('redis');
    expect(redis['sample-app'].depends_on?.redis).toEqual({ condition: 'service_healthy' });
  });
});
