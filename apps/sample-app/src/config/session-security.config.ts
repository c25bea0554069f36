import type { SessionModuleOptions } from '@app/session';

type SessionReplayPolicy = NonNullable<SessionModuleOptions['onReplay']>;
type SessionAnomalyAction = NonNullable<
  NonNullable<NonNullable<SessionModuleOptions['anomaly']>['actions']>[keyof NonNullable<
    NonNullable<SessionModuleOptions['anomaly']>['actions']
  >]
>;
import { z } from 'zod';
import { boolean, choice, integer, optionalText } from './env-values';

export const REPLAY_POLICIES = [
  'emit',
  'revoke-user-sessions',
] as const satisfies readonly SessionReplayPolicy[];
/** How bearer tokens are bound to the client's key (RFC 9449). */
export const DPOP_MODES = ['optional', 'required'] as const;
export type DpopMode = (typeof DPOP_MODES)[number];

export const ANOMALY_ACTIONS = [
  'emit',
  'revoke',
] as const satisfies readonly SessionAnomalyAction[];

const MAX_SECONDS = 365 * 24 * 3600;

/** The security settings of issue 3, read from the environment (all part of `AppConfig.session`). */
export interface SessionSecurityConfig {
  /** SESSION_REAUTH_SECONDS [300]: how recent a login must be for sensitive actions. */
  readonly reauthSeconds: number;
  /** SESSION_ROTATION_INTERVAL_SECONDS [0 = off]: periodic token renewal of active sessions. */
  readonly rotationIntervalSeconds: number;
  /** SESSION_ROTATION_GRACE_SECONDS [10]: how long a periodically replaced token still works. */
  readonly rotationGraceSeconds: number;
  /** SESSION_ON_REPLAY [emit]: 'revoke-user-sessions' ends every session of the user. */
  readonly onReplay: SessionReplayPolicy;
  /** SESSION_ANOMALY_ACTION [emit]: 'revoke' ends the session on any anomaly kind. */
  readonly anomalyAction: SessionAnomalyAction;
  /** CSRF_ALLOWED_ORIGINS [none]: comma-separated origins that may send unsafe cookie requests. */
  readonly csrfAllowedOrigins: readonly string[];
  /** SESSION_CACHE_TTL_SECONDS [0 = off]: the validation cache (revocation stays immediate). */
  readonly cacheTtlSeconds: number;
  /**
   * SESSION_DPOP [optional]: a token requested with a DPoP proof is bound to its key;
   * 'required' refuses to issue a bearer token without one.
   */
  readonly dpop: DpopMode;
  /**
   * SESSION_DPOP_NONCE_SECRET [unset: no nonces]: DPoP server nonces (`DPoP-Nonce`), signed with
   * this secret (at least 32 characters, the same on every instance).
   */
  readonly dpopNonceSecret: string | undefined;
  /** SESSION_DBSC [false]: Device Bound Session Credentials for cookie sessions. */
  readonly dbsc: boolean;
  /** SESSION_DBSC_COOKIE_SECONDS [600]: how long a device-bound session's cookie lives. */
  readonly dbscCookieSeconds: number;
  /**
   * SESSION_DBSC_SECRET [random per process]: signs DBSC challenges; give every instance the same
   * one (at least 32 characters) when there are several.
   */
  readonly dbscSecret: string | undefined;
  /** SESSION_GEOIP [true]: locate client addresses (DB-IP Lite) for travel anomalies and the page. */
  readonly geoip: boolean;
  /** SESSION_MAX_TRAVEL_KMH [1000]: faster between two sightings is `impossible_travel`. */
  readonly maxTravelKmh: number;
}

/** The variables of SessionSecurityConfig, for the environment schema. */
export const SESSION_SECURITY_VARIABLES = {
  SESSION_REAUTH_SECONDS: integer(300, { min: 1, max: MAX_SECONDS }),
  SESSION_ROTATION_INTERVAL_SECONDS: integer(0, { min: 0, max: MAX_SECONDS }),
  SESSION_ROTATION_GRACE_SECONDS: integer(10, { min: 0, max: 3600 }),
  SESSION_ON_REPLAY: choice('emit', REPLAY_POLICIES),
  SESSION_ANOMALY_ACTION: choice('emit', ANOMALY_ACTIONS),
  CSRF_ALLOWED_ORIGINS: origins(),
  SESSION_CACHE_TTL_SECONDS: integer(0, { min: 0, max: 3600 }),
  SESSION_DPOP: choice('optional', DPOP_MODES),
  SESSION_DPOP_NONCE_SECRET: optionalText(),
  SESSION_DBSC: boolean(false),
  SESSION_DBSC_COOKIE_SECONDS: integer(600, { min: 60, max: 86_400 }),
  SESSION_DBSC_SECRET: optionalText(),
  SESSION_GEOIP: boolean(true),
  SESSION_MAX_TRAVEL_KMH: integer(1000, { min: 1, max: 1_000_000 }),
};

type SessionSecurityValues = z.output<z.ZodObject<typeof SESSION_SECURITY_VARIABLES>>;

/** The rules between these variables, as issues on the variable to change. */
export function checkSessionSecurity(
  values: SessionSecurityValues,
  context: z.RefinementCtx,
): void {
  for (const name of ['SESSION_DBSC_SECRET', 'SESSION_DPOP_NONCE_SECRET'] as const) {
    const secret = values[name];
    if (secret !== undefined && secret.length < 32) {
      context.addIssue({ code: 'custom', path: [name], message: 'at least 32 characters' });
    }
  }
  const interval = values.SESSION_ROTATION_INTERVAL_SECONDS;
  // A grace longer than the interval keeps several successive tokens of one session valid.
  if (interval > 0 && values.SESSION_ROTATION_GRACE_SECONDS > interval) {
    context.addIssue({
      code: 'custom',
      path: ['SESSION_ROTATION_GRACE_SECONDS'],
      message: `at most SESSION_ROTATION_INTERVAL_SECONDS (${interval}) while rotation is on`,
    });
  }
}

export function toSessionSecurityConfig(values: SessionSecurityValues): SessionSecurityConfig {
  return {
    reauthSeconds: values.SESSION_REAUTH_SECONDS,
    rotationIntervalSeconds: values.SESSION_ROTATION_INTERVAL_SECONDS,
    rotationGraceSeconds: values.SESSION_ROTATION_GRACE_SECONDS,
    onReplay: values.SESSION_ON_REPLAY,
    anomalyAction: values.SESSION_ANOMALY_ACTION,
    csrfAllowedOrigins: values.CSRF_ALLOWED_ORIGINS,
    cacheTtlSeconds: values.SESSION_CACHE_TTL_SECONDS,
    dpop: values.SESSION_DPOP,
    dpopNonceSecret: values.SESSION_DPOP_NONCE_SECRET,
    dbsc: values.SESSION_DBSC,
    dbscCookieSeconds: values.SESSION_DBSC_COOKIE_SECONDS,
    dbscSecret: values.SESSION_DBSC_SECRET,
    geoip: values.SESSION_GEOIP,
    maxTravelKmh: values.SESSION_MAX_TRAVEL_KMH,
  };
}

/**
 * A comma-separated list of origins, each exactly `scheme://host[:port]` over http(s): a path, a
 * query or credentials mean the value was not understood, and a CSRF allow-list must never be
 * guessed at. Given in the canonical form browsers send in `Origin` (lower-case host).
 */
function origins() {
  return optionalText().transform((value, context): string[] => {
    if (value === undefined) return [];
    const canonical = value
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item !== '')
      .map(canonicalOrigin);
    if (canonical.some((origin) => origin === null)) {
      context.addIssue({
        code: 'custom',
        message: 'comma-separated origins like https://app.example.com',
      });
      return z.NEVER;
    }
    return canonical as string[];
  });
}

function canonicalOrigin(value: string): string | null {
  try {
    const url = new URL(value);
    const isHttp = url.protocol === 'http:' || url.protocol === 'https:';
    // URL() would accept "https://a.example/path" or "https://a.example/" and silently drop parts.
    return isHttp && url.origin.toLowerCase() === value.toLowerCase() ? url.origin : null;
  } catch {
    return null;
  }
}
