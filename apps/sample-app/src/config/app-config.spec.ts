import { AppConfigError } from './app-config.error';
import { loadAppConfig } from './app-config';

describe('loadAppConfig', () => {
  it('applies the documented defaults to an empty environment', () => {
    expect(loadAppConfig({})).toEqual({
      port: 3000,
      database: { kind: 'embedded', dataDir: './.data/pglite', schema: 'public' },
      session: {
        idleTimeoutSeconds: 1800,
        absoluteTimeoutSeconds: 86400,
        maxPerUser: 5,
        limitStrategy: 'evict-oldest',
      },
      trustProxy: false,
      cookieSecure: true,
      jsonBodyLimit: '16kb',
      healthCheckTimeoutMs: 2000,
    });
  });

  it('reads every variable', () => {
    const config = loadAppConfig({
      PORT: '8080',
      DATABASE_URL: 'postgres://app:secret@db:5432/app',
      DATABASE_SCHEMA: 'tenant_1',
      SESSION_IDLE_TIMEOUT_SECONDS: '60',
      SESSION_ABSOLUTE_TIMEOUT_SECONDS: '120',
      SESSION_MAX_PER_USER: '3',
      SESSION_LIMIT_STRATEGY: 'reject',
      TRUST_PROXY: 'true',
      COOKIE_SECURE: 'false',
    });
    expect(config).toMatchObject({
      port: 8080,
      database: { kind: 'postgres', url: 'postgres://app:secret@db:5432/app', schema: 'tenant_1' },
      session: {
        idleTimeoutSeconds: 60,
        absoluteTimeoutSeconds: 120,
        maxPerUser: 3,
        limitStrategy: 'reject',
      },
      trustProxy: true,
      cookieSecure: false,
    });
  });

  it('uses PGLITE_DATA_DIR for the embedded database', () => {
    expect(loadAppConfig({ PGLITE_DATA_DIR: '/var/lib/app' }).database).toEqual({
      kind: 'embedded',
      dataDir: '/var/lib/app',
      schema: 'public',
    });
  });

  it('treats empty variables as unset', () => {
    expect(loadAppConfig({ PORT: '', DATABASE_URL: '  ' })).toMatchObject({
      port: 3000,
      database: { kind: 'embedded' },
    });
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['PORT', '3e3'],
    ['SESSION_IDLE_TIMEOUT_SECONDS', '0'],
    ['SESSION_IDLE_TIMEOUT_SECONDS', '-5'],
    ['SESSION_ABSOLUTE_TIMEOUT_SECONDS', '1.5'],
    ['SESSION_MAX_PER_USER', '0'],
    ['SESSION_LIMIT_STRATEGY', 'evict-random'],
    ['TRUST_PROXY', 'yes'],
    ['COOKIE_SECURE', 'off'],
    ['DATABASE_SCHEMA', 'Robert"; DROP'],
    ['DATABASE_URL', 'mysql://localhost/app'],
  ])('rejects %s=%p with an error naming the variable', (name, value) => {
    const load = () => loadAppConfig({ [name]: value });
    expect(load).toThrow(AppConfigError);
    expect(load).toThrow(new RegExp(`\\b${name}\\b`));
  });

  it('rejects an absolute timeout shorter than the idle timeout', () => {
    expect(() =>
      loadAppConfig({
        SESSION_IDLE_TIMEOUT_SECONDS: '600',
        SESSION_ABSOLUTE_TIMEOUT_SECONDS: '60',
      }),
    ).toThrow(/SESSION_ABSOLUTE_TIMEOUT_SECONDS/);
  });

  it('never echoes a DATABASE_URL, which may hold a password', () => {
    expect(() => loadAppConfig({ DATABASE_URL: 'mysql://root:hunter2@db/app' })).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining('hunter2') }),
    );
  });
});
