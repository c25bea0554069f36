import { SessionOptionsError } from '../errors/session-options.error';
import type { ResolvedSessionOptions } from './resolved-session-options.interface';
import type {
  SessionAnomalyAction,
  SessionAnomalyKind,
  SessionModuleOptions,
  SessionTransport,
} from './session-module-options.interface';
import {
  ANOMALY_KINDS,
  type ParsedSessionOptions,
  sessionOptionsSchema,
} from './session-options.schema';

/**
 * Applies defaults and checks every value once, at boot: the shape by the schema, the rules that
 * relate two options here. A wrong value throws a `SessionOptionsError` naming the option and what
 * is allowed; the user's object is never mutated, and the result is frozen.
 */
export function resolveSessionOptions(options: SessionModuleOptions = {}): ResolvedSessionOptions {
  const parsed = sessionOptionsSchema.safeParse(options ?? {});
  if (!parsed.success) throw new SessionOptionsError(parsed.error.issues[0].message);
  const o = parsed.data;

  const idleTimeout = o.idleTimeout ?? 1800;
  const absoluteTimeout = o.absoluteTimeout ?? 86400;
  check(
    idleTimeout <= absoluteTimeout,
    'idleTimeout',
    `at most absoluteTimeout (${absoluteTimeout})`,
    idleTimeout,
  );
  const touchInterval = o.touchInterval ?? Math.min(60, idleTimeout / 10);
  check(
    touchInterval < idleTimeout,
    'touchInterval',
    `less than idleTimeout (${idleTimeout})`,
    touchInterval,
  );

  const rotationInterval = o.rotationInterval ?? 0;
  const rotationGrace = o.rotationGrace ?? 10;
  // With a grace longer than the interval, several successive tokens of one session would be
  // valid at once: each rotation would leave the previous token alive past the next one.
  check(
    rotationInterval === 0 || rotationGrace <= rotationInterval,
    'rotationGrace',
    `at most rotationInterval (${rotationInterval}) when rotation is on`,
    rotationGrace,
  );

  return Object.freeze({
    idleTimeoutMs: idleTimeout * 1000,
    absoluteTimeoutMs: absoluteTimeout * 1000,
    touchIntervalMs: touchInterval * 1000,
    maxSessionsPerUser: o.maxSessionsPerUser as ResolvedSessionOptions['maxSessionsPerUser'],
    limitStrategy: o.limitStrategy ?? 'evict-oldest',
    cookie: resolveCookie(o.cookie ?? {}),
    transports: new Set<SessionTransport>(o.transports ?? ['cookie', 'bearer']),
    csrf: Object.freeze({
      enabled: o.csrf?.enabled ?? true,
      headerName: (o.csrf?.headerName ?? 'x-csrf-token').toLowerCase(),
      allowedOrigins: new Set((o.csrf?.allowedOrigins ?? []).map((origin) => origin.toLowerCase())),
    }),
    deviceBound: o.deviceBound
      ? Object.freeze({
          secret: o.deviceBound.secret,
          cookieLifetimeMs: (o.deviceBound.cookieLifetime ?? 600) * 1000,
          registrationPath: o.deviceBound.registrationPath ?? '/auth/dbsc/register',
          refreshPath: o.deviceBound.refreshPath ?? '/auth/dbsc/refresh',
        })
      : undefined,
    dpop: o.dpop
      ? Object.freeze({
          required: o.dpop.required ?? false,
          proofLifetimeMs: (o.dpop.proofLifetime ?? 60) * 1000,
          nonce: o.dpop.nonce
            ? Object.freeze({
                secret: o.dpop.nonce.secret,
                lifetimeMs: (o.dpop.nonce.lifetime ?? 300) * 1000,
              })
            : undefined,
        })
      : undefined,
    rotationIntervalMs: rotationInterval * 1000,
    rotationGraceMs: rotationGrace * 1000,
    tombstoneRetentionMs: (o.tombstoneRetention ?? absoluteTimeout) * 1000,
    onReplay: o.onReplay ?? 'emit',
    reauthWindowMs: (o.reauthWindow ?? 300) * 1000,
    anomaly: resolveAnomaly(o.anomaly ?? {}),
    cache: o.cache
      ? Object.freeze({ ttlMs: o.cache.ttl * 1000, max: o.cache.max ?? 10_000 })
      : undefined,
    cleanupIntervalMs: (o.cleanupInterval ?? 300) * 1000,
    cleanupBatchSize: o.cleanupBatchSize ?? 1000,
    logEvents: o.logEvents ?? true,
    cacheControl: o.cacheControl ?? true,
    socketActivityRenews: o.socketActivityRenews ?? false,
    dataSourceName: o.dataSourceName ?? 'default',
    resolveUser: o.resolveUser as ResolvedSessionOptions['resolveUser'],
  });
}

function resolveCookie(cookie: NonNullable<ParsedSessionOptions['cookie']>) {
  const name = cookie.name ?? '__Host-sid';
  const secure = cookie.secure ?? true;
  const path = cookie.path ?? '/';
  const sameSite = cookie.sameSite ?? 'lax';
  // Browsers drop cookies whose prefix promises what their attributes do not keep.
  check(
    !name.startsWith('__Host-') || (secure && path === '/' && cookie.domain === undefined),
    'cookie.name',
    'without the "__Host-" prefix when secure is false, path is not "/" or a domain is set (browsers drop such cookies)',
    name,
  );
  check(
    !name.startsWith('__Secure-') || secure,
    'cookie.secure',
    'true with a "__Secure-" cookie name',
    secure,
  );
  check(sameSite !== 'none' || secure, 'cookie.secure', 'true when sameSite is "none"', secure);
  return Object.freeze({ name, sameSite, secure, path, domain: cookie.domain });
}

function resolveAnomaly(anomaly: NonNullable<ParsedSessionOptions['anomaly']>) {
  const actions = anomaly.actions ?? {};
  return Object.freeze({
    enabled: anomaly.enabled ?? true,
    windowMs: (anomaly.window ?? 3600) * 1000,
    actions: Object.freeze(
      Object.fromEntries(ANOMALY_KINDS.map((kind) => [kind, actions[kind] ?? 'emit'])) as Record<
        SessionAnomalyKind,
        SessionAnomalyAction
      >,
    ),
    geoResolver: anomaly.geoResolver as ResolvedSessionOptions['anomaly']['geoResolver'],
    maxTravelSpeedKmh: anomaly.maxTravelSpeed ?? 1000,
  });
}

function check(ok: boolean, option: string, allowed: string, received: unknown): void {
  if (!ok) throw new SessionOptionsError(option, allowed, received);
}
