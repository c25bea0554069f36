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
        reauthSeconds: 300,
        rotationIntervalSeconds: 0,
        rotationGraceSeconds: 10,
        onReplay: 'emit',
        anomalyAction: 'emit',
        csrfAllowedOrigins: [],
        cacheTtlSeconds: 0,
        dpop: 'optional',
        dpopNonceSecret: undefined,
        dbsc: false,
        dbscCookieSeconds: 600,
        dbscSecret: undefined,
        geoip: true,
        maxTravelKmh: 1000,
      },
      trustProxy: false,
      loginLimits: {
        maxFailures: 5,
        failureWindowSeconds: 900,
        maxFailuresPerIp: 100,
        registerMaxPerIp: 20,
      },
      cookieSecure: true,
      httpAdapter: 'express',
      jsonBodyLimitBytes: 16384,
      healthCheckTimeoutMs: 2000,
      databaseTimeouts: { statementMs: 5000, connectMs: 5000 },
      runMigrations: true,
      sessionStore: { kind: 'postgres' },
      logLevel: 'info',
      logFormat: 'auto',
      auditRetentionDays: 90,
      auditMaxEventsPerMinute: 20,
    });
  });

  it('reads LOG_LEVEL', () => {
    expect(loadAppConfig({ LOG_LEVEL: 'debug' }).logLevel).toBe('debug');
  });

  it('reads LOG_FORMAT; in production it defaults to JSON even on a terminal', () => {
    expect(loadAppConfig({ LOG_FORMAT: 'pretty' }).logFormat).toBe('pretty');
    expect(loadAppConfig({ NODE_ENV: 'production' }).logFormat).toBe('json');
    expect(loadAppConfig({ NODE_ENV: 'production', LOG_FORMAT: 'pretty' }).logFormat).toBe(
      'pretty',
    );
    expect(() => loadAppConfig({ LOG_FORMAT: 'yaml' })).toThrow(/LOG_FORMAT/);
  });

  it('reads RUN_MIGRATIONS', () => {
    expect(loadAppConfig({ RUN_MIGRATIONS: 'false' }).runMigrations).toBe(false);
    expect(() => loadAppConfig({ RUN_MIGRATIONS: 'later' })).toThrow(/RUN_MIGRATIONS/);
  });

  it('reads the store and timeout variables', () => {
    const config = loadAppConfig({
      SESSION_STORE: 'redis',
      REDIS_URL: 'redis://cache:6380/2',
      REDIS_KEY_PREFIX: 'app1',
      REDIS_CONNECT_TIMEOUT_MS: '1500',
      REDIS_COMMAND_TIMEOUT_MS: '700',
      DATABASE_STATEMENT_TIMEOUT_MS: '2500',
      DATABASE_CONNECT_TIMEOUT_MS: '1000',
    });
    expect(config.sessionStore).toEqual({
      kind: 'redis',
      url: 'redis://cache:6380/2',
      keyPrefix: 'app1',
      connectTimeoutMs: 1500,
      commandTimeoutMs: 700,
    });
    expect(config.databaseTimeouts).toEqual({ statementMs: 2500, connectMs: 1000 });
    expect(loadAppConfig({ SESSION_STORE: 'redis' }).sessionStore).toEqual({
      kind: 'redis',
      url: 'redis://127.0.0.1:6379',
      keyPrefix: 'sess',
      connectTimeoutMs: 5000,
      commandTimeoutMs: 5000,
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
      TRUST_PROXY: '1',
      COOKIE_SECURE: 'false',
      LOGIN_MAX_FAILURES: '7',
      LOGIN_FAILURE_WINDOW_SECONDS: '600',
      LOGIN_MAX_FAILURES_PER_IP: '1000000',
      REGISTER_MAX_PER_IP: '3',
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
      trustProxy: 1,
      cookieSecure: false,
      loginLimits: {
        maxFailures: 7,
        failureWindowSeconds: 600,
        maxFailuresPerIp: 1_000_000,
        registerMaxPerIp: 3,
      },
    });
  });

  it('defaults the login limits to 5 failures per 900 s, 100 per ip, 20 registrations an hour', () => {
    expect(loadAppConfig({}).loginLimits).toEqual({
      maxFailures: 5,
      failureWindowSeconds: 900,
      maxFailuresPerIp: 100,
      registerMaxPerIp: 20,
    });
  });

  it.each([
    ['false', false],
    ['0', false],
    ['2', 2],
    ['loopback', ['loopback']],
    ['loopback, 10.0.0.0/8,192.168.1.7', ['loopback', '10.0.0.0/8', '192.168.1.7']],
  ])('reads TRUST_PROXY=%p as %p', (value, trustProxy) => {
    expect(loadAppConfig({ TRUST_PROXY: value }).trustProxy).toEqual(trustProxy);
  });

  it('refuses TRUST_PROXY=true, naming the safer forms', () => {
    expect(() => loadAppConfig({ TRUST_PROXY: 'true' })).toThrow(
      /TRUST_PROXY="true".*a hop count.*loopback, 10\.0\.0\.0\/8/,
    );
  });

  it('refuses a rotation grace longer than the rotation interval, naming both variables', () => {
    expect(() =>
      loadAppConfig({
        SESSION_ROTATION_INTERVAL_SECONDS: '2',
        SESSION_ROTATION_GRACE_SECONDS: '60',
      }),
    ).toThrow(/SESSION_ROTATION_GRACE_SECONDS.*SESSION_ROTATION_INTERVAL_SECONDS/);
    expect(
      loadAppConfig({ SESSION_ROTATION_GRACE_SECONDS: '60' }).session.rotationGraceSeconds,
    ).toBe(60);
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
    ['TRUST_PROXY', '11'],
    ['TRUST_PROXY', '10.0.0.0/99'],
    ['LOGIN_MAX_FAILURES', '0'],
    ['LOGIN_FAILURE_WINDOW_SECONDS', 'forever'],
    ['LOGIN_MAX_FAILURES_PER_IP', '-1'],
    ['REGISTER_MAX_PER_IP', '1.5'],
    ['COOKIE_SECURE', 'off'],
    ['DATABASE_SCHEMA', 'Robert"; DROP'],
    ['DATABASE_URL', 'mysql://localhost/app'],
    ['SESSION_STORE', 'memcached'],
    ['DATABASE_STATEMENT_TIMEOUT_MS', '0'],
    ['DATABASE_CONNECT_TIMEOUT_MS', '5s'],
    ['LOG_LEVEL', 'verbose'],
    ['METRICS_TOKEN', 'short'],
    ['METRICS_TOKEN', 'has a space in the middle'],
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

  it.each([
    ['REDIS_URL', 'http://cache:6379'],
    ['REDIS_KEY_PREFIX', 'a b'],
    ['REDIS_COMMAND_TIMEOUT_MS', '-1'],
  ])('with SESSION_STORE=redis, rejects %s=%p', (name, value) => {
    expect(() => loadAppConfig({ SESSION_STORE: 'redis', [name]: value })).toThrow(
      new RegExp(`\\b${name}\\b`),
    );
  });

  it('never echoes a REDIS_URL, which may hold a password', () => {
    expect(() =>
      loadAppConfig({ SESSION_STORE: 'redis', REDIS_URL: 'memcache://:hunter2@cache' }),
    ).toThrow(expect.objectContaining({ message: expect.not.stringContaining('hunter2') }));
  });

  it('reads METRICS_TOKEN (unset: /metrics is open) and never echoes a rejected one', () => {
    expect(loadAppConfig({}).metricsToken).toBeUndefined();
    const token = 'scrape-secret-0123456789';
    expect(loadAppConfig({ METRICS_TOKEN: token }).metricsToken).toBe(token);
    expect(() => loadAppConfig({ METRICS_TOKEN: 'hunter2' })).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining('hunter2') }),
    );
  });

  it('never echoes a DATABASE_URL, which may hold a password', () => {
    expect(() => loadAppConfig({ DATABASE_URL: 'mysql://root:hunter2@db/app' })).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining('hunter2') }),
    );
  });
});
