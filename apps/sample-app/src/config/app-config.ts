import { AppConfigError } from './app-config.error';
import type { SessionModuleOptions } from '@app/session';
import { type LoginLimitsConfig, readLoginLimits } from './login-limits.config';
import { readSessionSecurity, type SessionSecurityConfig } from './session-security.config';
import { readTrustProxy, type TrustProxy } from './trust-proxy.config';
import {
  type Env,
  readBoolean,
  readChoice,
  readInteger,
  readOptionalString,
  readString,
} from './env-parsers';

export const LIMIT_STRATEGIES = ['evict-oldest', 'evict-least-recent', 'reject'] as const;
export type LimitStrategy = (typeof LIMIT_STRATEGIES)[number];

export const SESSION_STORES = ['postgres', 'redis'] as const;

/** pino's levels, most to least severe; `silent` logs nothing. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export const HTTP_ADAPTERS = ['express', 'fastify'] as const;
export type HttpAdapterName = (typeof HTTP_ADAPTERS)[number];
export type LogLevel = (typeof LOG_LEVELS)[number];
/** `auto`: pretty on a terminal outside production (`npm start`), JSON everywhere else. */
export const LOG_FORMATS = ['auto', 'pretty', 'json'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

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

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;
const MAX_TIMEOUT_SECONDS = 365 * 24 * 3600;

function readDatabase(env: Env): DatabaseConfig {
  const schema = readString(env, 'DATABASE_SCHEMA', 'public');
  if (!SCHEMA_NAME.test(schema)) {
    // The name ends up in DDL and in search_path, so only plain lower-case identifiers are allowed.
    throw new AppConfigError(
      'DATABASE_SCHEMA',
      schema,
      'a lower-case identifier (letters, digits, _; at most 63 characters)',
    );
  }
  const url = readOptionalString(env, 'DATABASE_URL');
  if (url === undefined) {
    if (schema !== 'public') {
      // The embedded database belongs to this app alone: there is nothing to isolate from.
      throw new AppConfigError(
        'DATABASE_SCHEMA',
        schema,
        '"public" (or unset) without DATABASE_URL',
      );
    }
    return {
      kind: 'embedded',
      dataDir: readString(env, 'PGLITE_DATA_DIR', './.data/pglite'),
      schema,
    };
  }
  if (!isPostgresUrl(url)) {
    // null: the URL may carry a password, so it is not echoed.
    throw new AppConfigError('DATABASE_URL', null, 'a postgres://user@host:port/database URL');
  }
  return { kind: 'postgres', url, schema };
}

const TIMEOUT_MS = { min: 1, max: 600_000 };

function readSessionStore(env: Env): SessionStoreConfig {
  if (readChoice(env, 'SESSION_STORE', 'postgres', SESSION_STORES) === 'postgres') {
    return { kind: 'postgres' };
  }
  const url = readString(env, 'REDIS_URL', 'redis://127.0.0.1:6379');
  if (!hasProtocol(url, ['redis:', 'rediss:'])) {
    // null: the URL may carry a password, so it is not echoed.
    throw new AppConfigError('REDIS_URL', null, 'a redis://host:port or rediss://host:port URL');
  }
  const keyPrefix = readString(env, 'REDIS_KEY_PREFIX', 'sess');
  if (!/^[A-Za-z0-9_.-]{1,64}$/.test(keyPrefix)) {
    throw new AppConfigError('REDIS_KEY_PREFIX', keyPrefix, 'letters, digits, _ . - (1 to 64)');
  }
  return {
    kind: 'redis',
    url,
    keyPrefix,
    connectTimeoutMs: readInteger(env, 'REDIS_CONNECT_TIMEOUT_MS', 5000, TIMEOUT_MS),
    commandTimeoutMs: readInteger(env, 'REDIS_COMMAND_TIMEOUT_MS', 5000, TIMEOUT_MS),
  };
}

const METRICS_TOKEN = /^[\x21-\x7e]{16,256}$/;

function readMetricsToken(env: Env): string | undefined {
  const token = readOptionalString(env, 'METRICS_TOKEN');
  if (token !== undefined && !METRICS_TOKEN.test(token)) {
    // null: a secret is never echoed, not even a wrong one.
    throw new AppConfigError('METRICS_TOKEN', null, '16 to 256 printable characters, no spaces');
  }
  return token;
}

function hasProtocol(value: string, protocols: string[]): boolean {
  try {
    return protocols.includes(new URL(value).protocol);
  } catch {
    return false;
  }
}

function isPostgresUrl(value: string): boolean {
  try {
    const { protocol } = new URL(value);
    return protocol === 'postgres:' || protocol === 'postgresql:';
  } catch {
    return false;
  }
}

/** Reads and validates the environment once at boot; throws AppConfigError on a bad value. */
export function loadAppConfig(env: Env): AppConfig {
  const idleTimeoutSeconds = readInteger(env, 'SESSION_IDLE_TIMEOUT_SECONDS', 1800, {
    min: 1,
    max: MAX_TIMEOUT_SECONDS,
  });
  const absoluteTimeoutSeconds = readInteger(env, 'SESSION_ABSOLUTE_TIMEOUT_SECONDS', 86400, {
    min: 1,
    max: MAX_TIMEOUT_SECONDS,
  });
  if (absoluteTimeoutSeconds < idleTimeoutSeconds) {
    throw new AppConfigError(
      'SESSION_ABSOLUTE_TIMEOUT_SECONDS',
      String(absoluteTimeoutSeconds),
      `a value no smaller than SESSION_IDLE_TIMEOUT_SECONDS (${idleTimeoutSeconds})`,
    );
  }
  return {
    port: readInteger(env, 'PORT', 3000, { min: 0, max: 65535 }),
    database: readDatabase(env),
    session: {
      idleTimeoutSeconds,
      absoluteTimeoutSeconds,
      maxPerUser: readInteger(env, 'SESSION_MAX_PER_USER', 5, { min: 1, max: 10000 }),
      limitStrategy: readChoice(env, 'SESSION_LIMIT_STRATEGY', 'evict-oldest', LIMIT_STRATEGIES),
      ...readSessionSecurity(env),
    },
    trustProxy: readTrustProxy(env),
    loginLimits: readLoginLimits(env),
    cookieSecure: readBoolean(env, 'COOKIE_SECURE', true),
    httpAdapter: readChoice(env, 'HTTP_ADAPTER', 'express', HTTP_ADAPTERS),
    jsonBodyLimitBytes: 16 * 1024,
    healthCheckTimeoutMs: 2000,
    databaseTimeouts: {
      statementMs: readInteger(env, 'DATABASE_STATEMENT_TIMEOUT_MS', 5000, TIMEOUT_MS),
      connectMs: readInteger(env, 'DATABASE_CONNECT_TIMEOUT_MS', 5000, TIMEOUT_MS),
    },
    runMigrations: readBoolean(env, 'RUN_MIGRATIONS', true),
    sessionStore: readSessionStore(env),
    logLevel: readChoice(env, 'LOG_LEVEL', 'info', LOG_LEVELS),
    logFormat:
      env.NODE_ENV === 'production' && env.LOG_FORMAT === undefined
        ? 'json'
        : readChoice(env, 'LOG_FORMAT', 'auto', LOG_FORMATS),
    auditRetentionDays: readInteger(env, 'AUDIT_RETENTION_DAYS', 90, { min: 0, max: 36500 }),
    auditMaxEventsPerMinute: readInteger(env, 'AUDIT_MAX_EVENTS_PER_MINUTE', 20, {
      min: 1,
      max: 1_000_000_000,
    }),
    metricsToken: readMetricsToken(env),
  };
}
