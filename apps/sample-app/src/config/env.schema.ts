import { z } from 'zod';
import { AppConfigError } from './app-config.error';
import {
  HTTP_ADAPTERS,
  LIMIT_STRATEGIES,
  LOG_FORMATS,
  LOG_LEVELS,
  SESSION_STORES,
} from './env-choices';
import {
  boolean,
  choice,
  type Env,
  integer,
  matching,
  optionalText,
  text,
  url,
} from './env-values';
import { LOGIN_LIMIT_VARIABLES } from './login-limits.config';
import { checkSessionSecurity, SESSION_SECURITY_VARIABLES } from './session-security.config';
import { trustProxy } from './trust-proxy.config';

const MAX_TIMEOUT_SECONDS = 365 * 24 * 3600;
const TIMEOUT_MS = { min: 1, max: 600_000 };

/** Variables whose value is never echoed in an error, not even a wrong one. */
const SECRETS = new Set([
  'DATABASE_URL',
  'REDIS_URL',
  'METRICS_TOKEN',
  'SESSION_DBSC_SECRET',
  'SESSION_DPOP_NONCE_SECRET',
]);

/**
 * Every variable the sample app reads, its default and what it accepts (README's Environment
 * table). Rules between variables are the `superRefine` below, each reported on the variable to
 * change. `loadAppConfig` turns the result into an AppConfig.
 */
const ENVIRONMENT = z
  .object({
    HTTP_ADAPTER: choice('express', HTTP_ADAPTERS),
    PORT: integer(3000, { min: 0, max: 65535 }),
    TLS_CERT_FILE: optionalText(),
    TLS_KEY_FILE: optionalText(),
    DATABASE_URL: url(['postgres:', 'postgresql:'], 'a postgres://user@host:port/database URL'),
    // The name ends up in DDL and in search_path, so only plain lower-case identifiers are allowed.
    DATABASE_SCHEMA: matching(
      'public',
      /^[a-z_][a-z0-9_]{0,62}$/,
      'a lower-case identifier (letters, digits, _; at most 63 characters)',
    ),
    PGLITE_DATA_DIR: text('./.data/pglite'),
    DATABASE_STATEMENT_TIMEOUT_MS: integer(5000, TIMEOUT_MS),
    DATABASE_CONNECT_TIMEOUT_MS: integer(5000, TIMEOUT_MS),
    RUN_MIGRATIONS: boolean(true),
    SESSION_IDLE_TIMEOUT_SECONDS: integer(1800, { min: 1, max: MAX_TIMEOUT_SECONDS }),
    SESSION_ABSOLUTE_TIMEOUT_SECONDS: integer(86400, { min: 1, max: MAX_TIMEOUT_SECONDS }),
    SESSION_MAX_PER_USER: integer(5, { min: 1, max: 10000 }),
    SESSION_LIMIT_STRATEGY: choice('evict-oldest', LIMIT_STRATEGIES),
    ...SESSION_SECURITY_VARIABLES,
    SESSION_STORE: choice('postgres', SESSION_STORES),
    REDIS_URL: url(
      ['redis:', 'rediss:'],
      'a redis://host:port or rediss://host:port URL',
    ).transform((value) => value ?? 'redis://127.0.0.1:6379'),
    REDIS_KEY_PREFIX: matching(
      'sess',
      /^[A-Za-z0-9_.-]{1,64}$/,
      'letters, digits, _ . - (1 to 64)',
    ),
    REDIS_CONNECT_TIMEOUT_MS: integer(5000, TIMEOUT_MS),
    REDIS_COMMAND_TIMEOUT_MS: integer(5000, TIMEOUT_MS),
    TRUST_PROXY: trustProxy(),
    ...LOGIN_LIMIT_VARIABLES,
    COOKIE_SECURE: boolean(true),
    LOG_LEVEL: choice('info', LOG_LEVELS),
    // Unset: chosen by NODE_ENV (loadAppConfig).
    LOG_FORMAT: optionalText().pipe(
      z.enum(LOG_FORMATS, { error: `one of ${LOG_FORMATS.join(', ')}` }).optional(),
    ),
    AUDIT_RETENTION_DAYS: integer(90, { min: 0, max: 36500 }),
    AUDIT_MAX_EVENTS_PER_MINUTE: integer(20, { min: 1, max: 1_000_000_000 }),
    METRICS_TOKEN: optionalText().pipe(
      z
        .string()
        .regex(/^[\x21-\x7e]{16,256}$/, { error: '16 to 256 printable characters, no spaces' })
        .optional(),
    ),
  })
  .superRefine((values, context) => {
    // One without the other would start plain HTTP while the operator expects TLS.
    if ((values.TLS_CERT_FILE === undefined) !== (values.TLS_KEY_FILE === undefined)) {
      context.addIssue({
        code: 'custom',
        path: [values.TLS_CERT_FILE === undefined ? 'TLS_CERT_FILE' : 'TLS_KEY_FILE'],
        message: 'set together with the other of TLS_CERT_FILE and TLS_KEY_FILE',
      });
    }
    if (values.SESSION_ABSOLUTE_TIMEOUT_SECONDS < values.SESSION_IDLE_TIMEOUT_SECONDS) {
      context.addIssue({
        code: 'custom',
        path: ['SESSION_ABSOLUTE_TIMEOUT_SECONDS'],
        message: `a value no smaller than SESSION_IDLE_TIMEOUT_SECONDS (${values.SESSION_IDLE_TIMEOUT_SECONDS})`,
      });
    }
    // The embedded database belongs to this app alone: there is nothing to isolate from.
    if (values.DATABASE_URL === undefined && values.DATABASE_SCHEMA !== 'public') {
      context.addIssue({
        code: 'custom',
        path: ['DATABASE_SCHEMA'],
        message: '"public" (or unset) without DATABASE_URL',
      });
    }
    checkSessionSecurity(values, context);
  });

export type EnvironmentValues = z.output<typeof ENVIRONMENT>;

/** The environment, validated, with defaults applied; the first bad variable as an AppConfigError. */
export function parseEnvironment(env: Env): EnvironmentValues {
  const result = ENVIRONMENT.safeParse(env);
  if (result.success) return result.data;
  const [issue] = result.error.issues;
  const variable = String(issue.path[0]);
  const value = env[variable]?.trim();
  throw new AppConfigError(
    variable,
    SECRETS.has(variable) || value === undefined ? null : value,
    issue.message,
  );
}
