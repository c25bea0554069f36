import type { SessionModuleOptions } from '@app/session';

type SessionReplayPolicy = NonNullable<SessionModuleOptions['onReplay']>;
type SessionAnomalyAction = NonNullable<
  NonNullable<NonNullable<SessionModuleOptions['anomaly']>['actions']>[keyof NonNullable<
    NonNullable<SessionModuleOptions['anomaly']>['actions']
  >]
>;
import { AppConfigError } from './app-config.error';
import { type Env, readChoice, readInteger, readOptionalString } from './env-parsers';

export const REPLAY_POLICIES = [
  'emit',
  'revoke-user-sessions',
] as const satisfies readonly SessionReplayPolicy[];
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
}

export function readSessionSecurity(env: Env): SessionSecurityConfig {
  const rotationIntervalSeconds = readInteger(env, 'SESSION_ROTATION_INTERVAL_SECONDS', 0, {
    min: 0,
    max: MAX_SECONDS,
  });
  const rotationGraceSeconds = readInteger(env, 'SESSION_ROTATION_GRACE_SECONDS', 10, {
    min: 0,
    max: 3600,
  });
  // A grace longer than the interval keeps several successive tokens of one session valid.
  if (rotationIntervalSeconds > 0 && rotationGraceSeconds > rotationIntervalSeconds) {
    throw new AppConfigError(
      'SESSION_ROTATION_GRACE_SECONDS',
      String(rotationGraceSeconds),
      `at most SESSION_ROTATION_INTERVAL_SECONDS (${rotationIntervalSeconds}) while rotation is on`,
    );
  }
  return {
    reauthSeconds: readInteger(env, 'SESSION_REAUTH_SECONDS', 300, { min: 1, max: MAX_SECONDS }),
    rotationIntervalSeconds,
    rotationGraceSeconds,
    onReplay: readChoice(env, 'SESSION_ON_REPLAY', 'emit', REPLAY_POLICIES),
    anomalyAction: readChoice(env, 'SESSION_ANOMALY_ACTION', 'emit', ANOMALY_ACTIONS),
    csrfAllowedOrigins: readOrigins(env, 'CSRF_ALLOWED_ORIGINS'),
    cacheTtlSeconds: readInteger(env, 'SESSION_CACHE_TTL_SECONDS', 0, { min: 0, max: 3600 }),
  };
}

/**
 * A comma-separated list of origins, each exactly `scheme://host[:port]` over http(s): a path, a
 * query or credentials mean the value was not understood, and a CSRF allow-list must never be
 * guessed at. Returned in the canonical form browsers send in `Origin` (lower-case host).
 */
function readOrigins(env: Env, name: string): string[] {
  const value = readOptionalString(env, name);
  if (value === undefined) return [];
  return value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '')
    .map((item) => {
      const origin = canonicalOrigin(item);
      if (origin === null) {
        throw new AppConfigError(
          name,
          value,
          'comma-separated origins like https://app.example.com',
        );
      }
      return origin;
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
