import { SessionOptionsError } from '../errors/session-options.error';
import type { ResolvedSessionOptions } from './resolved-session-options';
import type {
  SessionAnomalyAction,
  SessionAnomalyKind,
  SessionAnomalyOptions,
  SessionCacheOptions,
  SessionLimitStrategy,
  SessionModuleOptions,
  SessionReplayPolicy,
  SessionTransport,
} from './session-module-options.interface';

const LIMIT_STRATEGIES: readonly SessionLimitStrategy[] = [
  'evict-oldest',
  'evict-least-recent',
  'reject',
];
const TRANSPORTS: readonly SessionTransport[] = ['cookie', 'bearer'];
const REPLAY_POLICIES: readonly SessionReplayPolicy[] = ['emit', 'revoke-user-sessions'];
const ANOMALY_KINDS: readonly SessionAnomalyKind[] = [
  'user_agent_changed',
  'ip_changed',
  'concurrent_locations',
  'country_changed',
];
const ANOMALY_ACTIONS: readonly SessionAnomalyAction[] = ['emit', 'revoke'];
const SAME_SITE = ['lax', 'strict', 'none'] as const;
// RFC 6265 token characters: what a cookie name may contain.
const COOKIE_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const ORIGIN = /^https?:\/\/[^/\s]+$/;

/**
 * Applies defaults and checks every value once, at boot. A wrong value throws a
 * `SessionOptionsError` naming the option and what is allowed; the user's object is never mutated.
 */
export function resolveSessionOptions(options: SessionModuleOptions = {}): ResolvedSessionOptions {
  const idleTimeout = seconds('idleTimeout', options.idleTimeout, 1800);
  const absoluteTimeout = seconds('absoluteTimeout', options.absoluteTimeout, 86400);
  if (idleTimeout > absoluteTimeout) {
    throw new SessionOptionsError(
      'idleTimeout',
      `at most absoluteTimeout (${absoluteTimeout})`,
      idleTimeout,
    );
  }
  const touchInterval = seconds(
    'touchInterval',
    options.touchInterval,
    Math.min(60, idleTimeout / 10),
    { allowZero: true },
  );
  if (touchInterval >= idleTimeout) {
    throw new SessionOptionsError(
      'touchInterval',
      `less than idleTimeout (${idleTimeout})`,
      touchInterval,
    );
  }

  const limit = options.maxSessionsPerUser;
  if (
    limit !== undefined &&
    typeof limit !== 'function' &&
    !(Number.isInteger(limit) && limit >= 1)
  ) {
    throw new SessionOptionsError(
      'maxSessionsPerUser',
      'a positive integer or a function (userId) => number',
      limit,
    );
  }
  const limitStrategy = oneOf(
    'limitStrategy',
    options.limitStrategy,
    LIMIT_STRATEGIES,
    'evict-oldest',
  );

  const cookie = options.cookie ?? {};
  const cookieName = cookie.name ?? '__Host-sid';
  if (typeof cookieName !== 'string' || !COOKIE_NAME.test(cookieName)) {
    throw new SessionOptionsError('cookie.name', 'a non-empty RFC 6265 token', cookieName);
  }
  const sameSite = oneOf('cookie.sameSite', cookie.sameSite, SAME_SITE, 'lax');
  const secure = bool('cookie.secure', cookie.secure, true);
  const path = cookie.path ?? '/';
  if (typeof path !== 'string' || !path.startsWith('/')) {
    throw new SessionOptionsError('cookie.path', 'a path starting with "/"', path);
  }
  if (cookie.domain !== undefined && (typeof cookie.domain !== 'string' || cookie.domain === '')) {
    throw new SessionOptionsError(
      'cookie.domain',
      'a non-empty host name or left unset',
      cookie.domain,
    );
  }
  if (
    cookieName.startsWith('__Host-') &&
    (!secure || path !== '/' || cookie.domain !== undefined)
  ) {
    throw new SessionOptionsError(
      'cookie.name',
      'without the "__Host-" prefix when secure is false, path is not "/" or a domain is set (browsers drop such cookies)',
      cookieName,
    );
  }
  if (cookieName.startsWith('__Secure-') && !secure) {
    throw new SessionOptionsError('cookie.secure', 'true with a "__Secure-" cookie name', secure);
  }
  if (sameSite === 'none' && !secure) {
    throw new SessionOptionsError('cookie.secure', 'true when sameSite is "none"', secure);
  }

  const transports = options.transports ?? [...TRANSPORTS];
  if (
    !Array.isArray(transports) ||
    transports.length === 0 ||
    transports.some((t) => !TRANSPORTS.includes(t))
  ) {
    throw new SessionOptionsError(
      'transports',
      'a non-empty subset of ["cookie", "bearer"]',
      transports,
    );
  }

  const csrf = options.csrf ?? {};
  const allowedOrigins = csrf.allowedOrigins ?? [];
  if (!Array.isArray(allowedOrigins) || allowedOrigins.some((o) => !ORIGIN.test(o))) {
    throw new SessionOptionsError(
      'csrf.allowedOrigins',
      'an array of origins like "https://app.example.com"',
      allowedOrigins,
    );
  }
  const headerName = csrf.headerName ?? 'x-csrf-token';
  if (typeof headerName !== 'string' || !COOKIE_NAME.test(headerName)) {
    throw new SessionOptionsError('csrf.headerName', 'a valid HTTP header name', headerName);
  }

  const rotationInterval = seconds('rotationInterval', options.rotationInterval, 0, {
    allowZero: true,
  });
  const rotationGrace = seconds('rotationGrace', options.rotationGrace, 10, { allowZero: true });
  const tombstoneRetention = seconds(
    'tombstoneRetention',
    options.tombstoneRetention,
    absoluteTimeout,
  );
  const onReplay = oneOf('onReplay', options.onReplay, REPLAY_POLICIES, 'emit');
  const reauthWindow = seconds('reauthWindow', options.reauthWindow, 300);
  const anomaly = resolveAnomaly(options.anomaly ?? {});
  const cache = resolveCache(options.cache);
  const cleanupInterval = seconds('cleanupInterval', options.cleanupInterval, 300, {
    allowZero: true,
  });
  const cleanupBatchSize = options.cleanupBatchSize ?? 1000;
  if (!Number.isInteger(cleanupBatchSize) || cleanupBatchSize < 1 || cleanupBatchSize > 100_000) {
    throw new SessionOptionsError(
      'cleanupBatchSize',
      'an integer from 1 to 100000',
      cleanupBatchSize,
    );
  }

  const dataSourceName = options.dataSourceName ?? 'default';
  if (typeof dataSourceName !== 'string' || dataSourceName === '') {
    throw new SessionOptionsError('dataSourceName', 'a non-empty string', dataSourceName);
  }

  return Object.freeze({
    idleTimeoutMs: idleTimeout * 1000,
    absoluteTimeoutMs: absoluteTimeout * 1000,
    touchIntervalMs: touchInterval * 1000,
    maxSessionsPerUser: limit,
    limitStrategy,
    cookie: Object.freeze({ name: cookieName, sameSite, secure, path, domain: cookie.domain }),
    transports: new Set(transports),
    csrf: Object.freeze({
      enabled: bool('csrf.enabled', csrf.enabled, true),
      headerName: headerName.toLowerCase(),
      allowedOrigins: new Set(allowedOrigins.map((o) => o.toLowerCase())),
    }),
    rotationIntervalMs: rotationInterval * 1000,
    rotationGraceMs: rotationGrace * 1000,
    tombstoneRetentionMs: tombstoneRetention * 1000,
    onReplay,
    reauthWindowMs: reauthWindow * 1000,
    anomaly,
    cache,
    cleanupIntervalMs: cleanupInterval * 1000,
    cleanupBatchSize,
    logEvents: bool('logEvents', options.logEvents, true),
    dataSourceName,
  });
}

function resolveCache(cache: SessionCacheOptions | undefined): ResolvedSessionOptions['cache'] {
  if (cache === undefined) return undefined;
  if (typeof cache !== 'object' || cache === null) {
    throw new SessionOptionsError('cache', 'an object { ttl, max? } or left unset', cache);
  }
  if (cache.ttl === undefined) {
    throw new SessionOptionsError('cache.ttl', 'a positive number of seconds', cache.ttl);
  }
  const ttl = seconds('cache.ttl', cache.ttl, 0);
  const max = cache.max ?? 10_000;
  if (!Number.isInteger(max) || max < 1) {
    throw new SessionOptionsError('cache.max', 'a positive integer', max);
  }
  return Object.freeze({ ttlMs: ttl * 1000, max });
}

function resolveAnomaly(anomaly: SessionAnomalyOptions): ResolvedSessionOptions['anomaly'] {
  const actions = { ...anomaly.actions };
  for (const [kind, action] of Object.entries(actions)) {
    if (!ANOMALY_KINDS.includes(kind as SessionAnomalyKind)) {
      throw new SessionOptionsError(
        'anomaly.actions',
        `keyed by ${ANOMALY_KINDS.map((k) => `"${k}"`).join(', ')}`,
        kind,
      );
    }
    oneOf(`anomaly.actions.${kind}`, action, ANOMALY_ACTIONS, 'emit');
  }
  if (anomaly.geoResolver !== undefined && typeof anomaly.geoResolver !== 'function') {
    throw new SessionOptionsError(
      'anomaly.geoResolver',
      'a function (ip) => country code',
      anomaly.geoResolver,
    );
  }
  return Object.freeze({
    enabled: bool('anomaly.enabled', anomaly.enabled, true),
    windowMs: seconds('anomaly.window', anomaly.window, 3600) * 1000,
    actions: Object.freeze(
      Object.fromEntries(ANOMALY_KINDS.map((kind) => [kind, actions[kind] ?? 'emit'])) as Record<
        SessionAnomalyKind,
        SessionAnomalyAction
      >,
    ),
    geoResolver: anomaly.geoResolver,
  });
}

function seconds(
  name: string,
  value: number | undefined,
  fallback: number,
  { allowZero = false } = {},
): number {
  if (value === undefined) return fallback;
  const ok =
    typeof value === 'number' && Number.isFinite(value) && (allowZero ? value >= 0 : value > 0);
  if (!ok) {
    throw new SessionOptionsError(
      name,
      allowZero ? 'a number of seconds ≥ 0' : 'a positive number of seconds',
      value,
    );
  }
  return value;
}

function oneOf<T extends string>(
  name: string,
  value: T | undefined,
  allowed: readonly T[],
  fallback: T,
): T {
  if (value === undefined) return fallback;
  if (!allowed.includes(value)) {
    throw new SessionOptionsError(name, `one of ${allowed.map((a) => `"${a}"`).join(', ')}`, value);
  }
  return value;
}

function bool(name: string, value: boolean | undefined, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw new SessionOptionsError(name, 'true or false', value);
  return value;
}
