import { randomBytes } from 'node:crypto';
import type { SessionModuleOptions } from '@app/session';

type AnomalyActions = Required<
  NonNullable<NonNullable<SessionModuleOptions['anomaly']>['actions']>
>;
type SessionAnomalyKind = keyof AnomalyActions;
type SessionAnomalyAction = AnomalyActions[SessionAnomalyKind];
import type { IpLocator } from '../geo/ip-locator';
import type { UsersService } from '../users/users.service';
import type { AppConfig } from './app-config';

/** SessionModule options from the app's environment; the session's user comes from `users`. */
export function toSessionModuleOptions(
  config: AppConfig,
  users: Pick<UsersService, 'ofSession'>,
  locator: Pick<IpLocator, 'locate'>,
): SessionModuleOptions {
  const { session } = config;
  return {
    resolveUser: (resolved) => users.ofSession(resolved),
    idleTimeout: session.idleTimeoutSeconds,
    absoluteTimeout: session.absoluteTimeoutSeconds,
    maxSessionsPerUser: session.maxPerUser,
    limitStrategy: session.limitStrategy,
    // Browsers reject a `__Host-` cookie that is not Secure, so the insecure variant needs a plain name.
    cookie: config.cookieSecure ? { secure: true } : { name: 'sid', secure: false },
    csrf: { allowedOrigins: [...session.csrfAllowedOrigins] },
    reauthWindow: session.reauthSeconds,
    rotationInterval: session.rotationIntervalSeconds,
    rotationGrace: session.rotationGraceSeconds,
    onReplay: session.onReplay,
    dpop: {
      required: session.dpop === 'required',
      ...(session.dpopNonceSecret ? { nonce: { secret: session.dpopNonceSecret } } : {}),
    },
    ...(session.dbsc
      ? {
          deviceBound: {
            // One process alone may sign with a secret of its own; several need the same.
            secret: session.dbscSecret ?? randomBytes(32).toString('base64url'),
            cookieLifetime: session.dbscCookieSeconds,
          },
        }
      : {}),
    anomaly: {
      actions: everyAnomalyKind(session.anomalyAction),
      geoResolver: (ip) => locator.locate(ip),
      maxTravelSpeed: session.maxTravelKmh,
    },
    ...(session.cacheTtlSeconds > 0 ? { cache: { ttl: session.cacheTtlSeconds } } : {}),
  };
}

/** One action for every kind; a Record (not a list) so a kind added to the library fails to compile. */
function everyAnomalyKind(
  action: SessionAnomalyAction,
): Record<SessionAnomalyKind, SessionAnomalyAction> {
  return {
    user_agent_changed: action,
    ip_changed: action,
    concurrent_locations: action,
    country_changed: action,
    impossible_travel: action,
  };
}
