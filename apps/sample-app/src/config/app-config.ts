import type { SessionModuleOptions } from '@app/session';
import { parseEnvironment } from './env.schema';
import type { Env } from './env-values';
import type { LoginLimitsConfig } from './login-limits.config';
import { type SessionSecurityConfig, toSessionSecurityConfig } from './session-security.config';
import type { TrustProxy } from './trust-proxy.config';

import type { HttpAdapterName, LimitStrategy, LogFormat, LogLevel } from './env-choices';

export type { HttpAdapterName, LimitStrategy, LogFormat, LogLevel } from './env-choices';

/** Where the data lives: a PostgreSQL server, or PGlite embedded in the process. */
export type DatabaseConfig =
  | { readonly kind: 'postgres'; readonly url: string; readonly schema: string }
  /** `dataDir` undefined keeps the embedded database in memory (tests). */
  | { readonly kind: 'embedded'; readonly dataDir: string | undefined; readonly schema: string };

/** Bounds on every PostgreSQL round trip, so a dead or slow database fails a request fast. */
export interface DatabaseTimeouts {
  /** Longest a statement may run (server side, and client side plus a margin), in ms. */
  readonly statementMs: number;
  /** Longest wait for a pooled connection or for a new one to connect, in ms. */
  readonly connectMs: number;
}

/** Where sessions live: the app's database, or a Redis server shared by every instance. */
export type SessionStoreConfig =
  | { readonly kind: 'postgres' }
  | {
      readonly kind: 'redis';
      readonly url: string;
      /** First segment of every session key (RedisSessionStore `prefix`). */
      readonly keyPrefix: string;
      /** Longest wait for the TCP connection (and its handshake), in ms. */
      readonly connectTimeoutMs: number;
      /** Longest wait for one command's reply, in ms. */
      readonly commandTimeoutMs: number;
    };

/** Everything the sample app reads from its environment, validated and with defaults applied. */
export interface AppConfig {
  readonly port: number;
  readonly database: DatabaseConfig;
  readonly session: {
    /** Seconds without activity before a session expires. */
    readonly idleTimeoutSeconds: number;
    /** Seconds after creation when a session expires regardless of activity. */
    readonly absoluteTimeoutSeconds: number;
    /**
     * SESSION_MAX_PER_USER. Code that builds an AppConfig (tests, a custom main) may pass a
     * function of the user id instead, for per-role or per-tenant limits.
     */
    readonly maxPerUser: NonNullable<SessionModuleOptions['maxSessionsPerUser']>;
    readonly limitStrategy: LimitStrategy;
  } & SessionSecurityConfig;
  /** TRUST_PROXY: which proxies may set X-Forwarded-For/-Proto/-Host (Express `trust proxy`). */
  readonly trustProxy: TrustProxy;
  readonly loginLimits: LoginLimitsConfig;
  /**
   * The session cookie's Secure flag (COOKIE_SECURE, default true). Keep it true in production.
   * false exists for plain-http setups a browser will not treat as secure (a LAN ip, Safari on
   * localhost): there a Secure cookie is dropped and login seems to do nothing. Because the
   * `__Host-` prefix requires Secure, false also renames the cookie to `sid`.
   */
  readonly cookieSecure: boolean;
  /** HTTP_ADAPTER [express]: the Nest platform the app runs on, Express or Fastify. */
  readonly httpAdapter: HttpAdapterName;
  /**
   * TLS_CERT_FILE and TLS_KEY_FILE (PEM): the app listens with TLS on PORT — for a deployment
   * without a TLS-terminating proxy, and for DBSC, which browsers run over HTTPS only.
   */
  readonly tls: { readonly certFile: string; readonly keyFile: string } | undefined;
  /** Largest accepted JSON body, in bytes. */
  readonly jsonBodyLimitBytes: number;
  /** How long GET /health waits for `SELECT 1` before answering 503, in milliseconds. */
  readonly healthCheckTimeoutMs: number;
  readonly databaseTimeouts: DatabaseTimeouts;
  /**
   * RUN_MIGRATIONS [true]: run pending migrations at start, one replica at a time. false for a
   * deploy that runs `npm run migrate` as a step of its own; the app then refuses to start while a
   * migration is pending.
   */
  readonly runMigrations: boolean;
  readonly sessionStore: SessionStoreConfig;
  /** LOG_LEVEL: the least severe level written (request lines are `info`). */
  readonly logLevel: LogLevel;
  /** LOG_FORMAT [auto]: human-readable lines (pino-pretty) or JSON lines. */
  readonly logFormat: LogFormat;
  /** AUDIT_RETENTION_DAYS [90]: audit events older than this are deleted; 0 keeps them. */
  readonly auditRetentionDays: number;
  /**
   * AUDIT_MAX_EVENTS_PER_MINUTE [20]: events of one type one user's audit stores row by row per
   * minute; beyond that they are folded into one `summarized: <count>` row.
   */
  readonly auditMaxEventsPerMinute: number;
  /**
   * METRICS_TOKEN: when set, GET /metrics answers only requests carrying it as a bearer token
   * (Prometheus' `authorization` scrape setting); unset, /metrics is open.
   */
  readonly metricsToken: string | undefined;
}

/** Reads and validates the environment once at boot; throws AppConfigError on a bad value. */
export function loadAppConfig(env: Env): AppConfig {
  const values = parseEnvironment(env);
  return {
    port: values.PORT,
    database:
      values.DATABASE_URL === undefined
        ? { kind: 'embedded', dataDir: values.PGLITE_DATA_DIR, schema: values.DATABASE_SCHEMA }
        : { kind: 'postgres', url: values.DATABASE_URL, schema: values.DATABASE_SCHEMA },
    session: {
      idleTimeoutSeconds: values.SESSION_IDLE_TIMEOUT_SECONDS,
      absoluteTimeoutSeconds: values.SESSION_ABSOLUTE_TIMEOUT_SECONDS,
      maxPerUser: values.SESSION_MAX_PER_USER,
      limitStrategy: values.SESSION_LIMIT_STRATEGY,
      ...toSessionSecurityConfig(values),
    },
    trustProxy: values.TRUST_PROXY,
    loginLimits: {
      maxFailures: values.LOGIN_MAX_FAILURES,
      failureWindowSeconds: values.LOGIN_FAILURE_WINDOW_SECONDS,
      maxFailuresPerIp: values.LOGIN_MAX_FAILURES_PER_IP,
      registerMaxPerIp: values.REGISTER_MAX_PER_IP,
    },
    cookieSecure: values.COOKIE_SECURE,
    httpAdapter: values.HTTP_ADAPTER,
    tls:
      values.TLS_CERT_FILE !== undefined && values.TLS_KEY_FILE !== undefined
        ? { certFile: values.TLS_CERT_FILE, keyFile: values.TLS_KEY_FILE }
        : undefined,
    jsonBodyLimitBytes: 16 * 1024,
    healthCheckTimeoutMs: 2000,
    databaseTimeouts: {
      statementMs: values.DATABASE_STATEMENT_TIMEOUT_MS,
      connectMs: values.DATABASE_CONNECT_TIMEOUT_MS,
    },
    runMigrations: values.RUN_MIGRATIONS,
    sessionStore:
      values.SESSION_STORE === 'postgres'
        ? { kind: 'postgres' }
        : {
            kind: 'redis',
            url: values.REDIS_URL,
            keyPrefix: values.REDIS_KEY_PREFIX,
            connectTimeoutMs: values.REDIS_CONNECT_TIMEOUT_MS,
            commandTimeoutMs: values.REDIS_COMMAND_TIMEOUT_MS,
          },
    logLevel: values.LOG_LEVEL,
    // Production logs are for machines even when a terminal shows them.
    logFormat: values.LOG_FORMAT ?? (env.NODE_ENV === 'production' ? 'json' : 'auto'),
    auditRetentionDays: values.AUDIT_RETENTION_DAYS,
    auditMaxEventsPerMinute: values.AUDIT_MAX_EVENTS_PER_MINUTE,
    metricsToken: values.METRICS_TOKEN,
  };
}
