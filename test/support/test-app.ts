import type { INestApplication, LoggerService, LogLevel as NestLogLevel } from '@nestjs/common';
import request from 'supertest';
import { DataSource } from 'typeorm';
import type { DestinationStream } from 'pino';
import {
  type AppConfig,
  type LogLevel,
  loadAppConfig,
} from '../../apps/sample-app/src/config/app-config';
import { createApp } from '../../apps/sample-app/src/configure-app';
import { createTestDatabase, type TestDatabase } from './test-database';

export interface TestAppOptions {
  session?: Partial<AppConfig['session']>;
  /** TRUST_PROXY as parsed (default false). */
  trustProxy?: AppConfig['trustProxy'];
  /** LOGIN_* and REGISTER_MAX_PER_IP (default: high enough that tests never hit them). */
  loginLimits?: Partial<AppConfig['loginLimits']>;
  cookieSecure?: boolean;
  healthCheckTimeoutMs?: number;
  databaseTimeouts?: Partial<AppConfig['databaseTimeouts']>;
  /** Default: sessions in the test database (postgres). */
  sessionStore?: AppConfig['sessionStore'];
  /** Receives every Nest log line (default: errors only, on the console; E2E_LOGS=1 for all). */
  logger?: LoggerService;
  /**
   * Sends every log line — requests and Nest's own — through pino to this stream, as in
   * production (then `logger` is ignored).
   */
  logDestination?: DestinationStream;
  /** pino's level (default: error, or info with E2E_LOGS=1), for request lines and logDestination. */
  logLevel?: LogLevel;
  /** AUDIT_MAX_EVENTS_PER_MINUTE (default: high; the audit bound's own spec sets it). */
  auditMaxEventsPerMinute?: number;
  /** METRICS_TOKEN (default: none, /metrics open). */
  metricsToken?: string;
  /** Share one database between several apps of a test file (else each gets its own). */
  database?: TestDatabase;
  /** TLS_CERT_FILE / TLS_KEY_FILE: listen with TLS (default: plain HTTP). */
  tls?: AppConfig['tls'];
}

export interface TestApp {
  readonly app: INestApplication;
  readonly config: AppConfig;
  readonly database: TestDatabase;
  readonly dataSource: DataSource;
  /** A supertest client over real HTTP to the listening app. */
  http(): ReturnType<typeof request>;
  /** Closes the app, then drops the database if this app created it. */
  close(): Promise<void>;
}

/** Limits no ordinary test reaches (the throttling specs pass the ones they prove). */
const UNLIMITED_LOGINS: AppConfig['loginLimits'] = {
  maxFailures: 1_000_000,
  failureWindowSeconds: 900,
  maxFailuresPerIp: 1_000_000,
  registerMaxPerIp: 1_000_000,
};

/**
 * Note for files that start several apps: passport keeps its strategies in one process-global
 * registry, so the last app started serves every app's `/auth/login` and `/auth/token`. Keep the
 * apps of a file open until its end (afterAll); to prove something across instances, use
 * separate processes (test/multi-instance, AppProcess).
 *
 * Boots the sample app exactly as main.ts does (AppModule.register + configureApp through
 * createApp), on an isolated database, listening on an ephemeral port.
 */
export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const ownsDatabase = options.database === undefined;
  const database = options.database ?? (await createTestDatabase());
  // HTTP_ADAPTER=fastify runs the whole e2e suite on Fastify (.ci/run does both platforms).
  const defaults = loadAppConfig({ HTTP_ADAPTER: process.env.HTTP_ADAPTER });
  const config: AppConfig = {
    ...defaults,
    port: 0,
    database: database.config,
    session: { ...defaults.session, ...options.session },
    trustProxy: options.trustProxy ?? defaults.trustProxy,
    // Every test signs in many times from 127.0.0.1; the specs of the limits set their own.
    loginLimits: { ...UNLIMITED_LOGINS, ...options.loginLimits },
    cookieSecure: options.cookieSecure ?? defaults.cookieSecure,
    healthCheckTimeoutMs: options.healthCheckTimeoutMs ?? defaults.healthCheckTimeoutMs,
    databaseTimeouts: { ...defaults.databaseTimeouts, ...options.databaseTimeouts },
    sessionStore: options.sessionStore ?? defaults.sessionStore,
    logLevel: options.logLevel ?? (process.env.E2E_LOGS ? 'info' : 'error'),
    metricsToken: options.metricsToken,
    tls: options.tls,
    // Specs of other contracts count their events one by one.
    auditMaxEventsPerMinute: options.auditMaxEventsPerMinute ?? 1_000_000,
  };
  let app: INestApplication | undefined;
  try {
    // Errors only (set E2E_LOGS=1 for everything): expected warnings would bury real failures.
    // undefined: through pino, like main.ts.
    const logger =
      options.logDestination !== undefined
        ? undefined
        : (options.logger ?? (process.env.E2E_LOGS ? undefined : (['error'] as NestLogLevel[])));
    app = await createApp(config, {
      logger,
      logDestination: options.logDestination,
      sharedEmbeddedDatabase: database.embedded,
    });
    await app.listen(0, '127.0.0.1');
  } catch (error) {
    await app?.close();
    if (ownsDatabase) await database.drop();
    throw error;
  }
  const started = app;
  return {
    app: started,
    config,
    database,
    dataSource: started.get(DataSource),
    http: () => request(started.getHttpServer()),
    close: async () => {
      await started.close();
      if (ownsDatabase) await database.drop();
    },
  };
}
