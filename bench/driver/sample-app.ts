import { join } from 'node:path';
import type { SampleAppTarget } from '../shared/bench-targets';
import { anyInterfacePort } from './any-interface-port';
import { ROOT } from './bench-output';
import type { Launch } from './server-process';

/** What `npm run start:prod` runs; `npm run bench` builds it first. */
export const SAMPLE_APP_MAIN = join(ROOT, 'dist/apps/sample-app/apps/sample-app/src/main.js');

/** main.ts logs this once `app.listen()` has resolved. */
const LISTENING = /Listening on port \d+/;

/**
 * Every variable apps/sample-app/src/config reads. The app runs on its defaults except for what
 * sampleAppLaunch sets, so none may leak in from the shell that started the benchmark (a
 * developer's LOG_LEVEL=silent or SESSION_CACHE_TTL_SECONDS would change what is measured).
 */
const APP_VARIABLES = [
  'PORT',
  'HTTP_ADAPTER',
  'DATABASE_URL',
  'DATABASE_SCHEMA',
  'PGLITE_DATA_DIR',
  'DATABASE_STATEMENT_TIMEOUT_MS',
  'DATABASE_CONNECT_TIMEOUT_MS',
  'SESSION_STORE',
  'REDIS_URL',
  'REDIS_KEY_PREFIX',
  'REDIS_CONNECT_TIMEOUT_MS',
  'REDIS_COMMAND_TIMEOUT_MS',
  'SESSION_IDLE_TIMEOUT_SECONDS',
  'SESSION_ABSOLUTE_TIMEOUT_SECONDS',
  'SESSION_MAX_PER_USER',
  'SESSION_LIMIT_STRATEGY',
  'SESSION_REAUTH_SECONDS',
  'SESSION_ROTATION_INTERVAL_SECONDS',
  'SESSION_ROTATION_GRACE_SECONDS',
  'SESSION_ON_REPLAY',
  'SESSION_ANOMALY_ACTION',
  'SESSION_CACHE_TTL_SECONDS',
  'CSRF_ALLOWED_ORIGINS',
  'TRUST_PROXY',
  'COOKIE_SECURE',
  'LOG_LEVEL',
  'AUDIT_RETENTION_DAYS',
  'AUDIT_MAX_EVENTS_PER_MINUTE',
  'LOGIN_MAX_FAILURES',
  'LOGIN_MAX_FAILURES_PER_IP',
  'LOGIN_FAILURE_WINDOW_SECONDS',
  'REGISTER_MAX_PER_IP',
  'METRICS_TOKEN',
  'PGAPPNAME',
] as const;

/** Per target, what differs from the defaults besides where the data lives. */
const TARGET_ENV: Record<SampleAppTarget, Readonly<Record<string, string>>> = {
  'sample-app': {},
  // The validation cache, as README's configuration table offers it.
  'sample-app-cache': { SESSION_CACHE_TTL_SECONDS: '60' },
  // The same app on Fastify, as README's HTTP_ADAPTER offers it.
  'sample-app-fastify': { HTTP_ADAPTER: 'fastify' },
};

/**
 * The built sample app as README starts it against PostgreSQL: NODE_ENV=production (set for every
 * server), request logging at the default level, its own schema (its migrations run at start),
 * a free port.
 */
export async function sampleAppLaunch(
  target: SampleAppTarget,
  database: { url: string; schema: string },
  appName: string,
): Promise<Launch> {
  const { port } = await anyInterfacePort();
  return {
    main: SAMPLE_APP_MAIN,
    env: {
      PORT: String(port),
      DATABASE_URL: database.url,
      DATABASE_SCHEMA: database.schema,
      // node-postgres takes application_name from PGAPPNAME when the app sets none: how the
      // driver finds the app's backends (their CPU, their exit before writes are counted).
      PGAPPNAME: appName,
      ...TARGET_ENV[target],
    },
    ready: { port, line: LISTENING },
    withoutInherited: APP_VARIABLES,
  };
}
