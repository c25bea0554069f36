import type { InjectionToken, OptionalFactoryDependency, Type } from '@nestjs/common';
import type { SessionInvalidationChannel } from '../invalidation/session-invalidation.channel';
import type { Session } from '../session.interface';
import type { SessionStore } from '../store/session.store';

import type { SessionLimitStrategy } from '../store/session.record';

export type { SessionLimitStrategy };

/** Where the guard looks for the session token. Never a URL query parameter or a body. */
export type SessionTransport = 'cookie' | 'bearer';

/** A fixed limit, or one computed per user (per role, per tenant). */
export type SessionLimit = number | ((userId: string) => number | Promise<number>);

export interface SessionCookieOptions {
  /**
   * Cookie name. The `__Host-` prefix makes browsers refuse the cookie unless it is Secure,
   * has Path=/ and no Domain, which shuts out cookie tossing from sibling subdomains.
   * @default '__Host-sid'
   */
  name?: string;
  /** @default 'lax' */
  sameSite?: 'lax' | 'strict' | 'none';
  /** Only turn off for plain-http local development. @default true */
  secure?: boolean;
  /** @default '/' */
  path?: string;
  /** Leave unset to keep the cookie host-only (required by the `__Host-` prefix). @default undefined */
  domain?: string;
}

/** @publicApi */
export interface SessionDeviceBoundOptions {
  /**
   * Signs the challenges (HMAC-SHA256), so any instance can check one another issued: the same
   * value, at least 32 characters, on every instance.
   */
  secret: string;
  /** Seconds a bound session's cookie (and its token) lives before a refresh. @default 600 */
  cookieLifetime?: number;
  /** Path of the registration endpoint, as the browser is told. @default '/auth/dbsc/register' */
  registrationPath?: string;
  /** Path of the refresh endpoint. @default '/auth/dbsc/refresh' */
  refreshPath?: string;
}

/** @publicApi */
export interface SessionDpopOptions {
  /** Refuse to issue a bearer token without a proof (`dpopKeyOf` throws). @default false */
  required?: boolean;
  /** How far a proof's `iat` may be from the server's clock, in seconds. @default 60 */
  proofLifetime?: number;
  /**
   * Server nonces (RFC 9449 §8): every proof must carry a recent `nonce` from a `DPoP-Nonce`
   * response header, so a proof cannot be made ahead of time. `secret` signs them (HMAC-SHA256;
   * the same on every instance, ≥ 32 characters); a nonce is good for `lifetime` seconds [300].
   * Off unless given.
   */
  nonce?: { secret: string; lifetime?: number };
}

export interface SessionCsrfOptions {
  /** Require the CSRF header on unsafe requests authenticated by the cookie. @default true */
  enabled?: boolean;
  /** Header carrying the session's CSRF token. @default 'x-csrf-token' */
  headerName?: string;
  /**
   * Origins (scheme://host[:port]) allowed to send unsafe cookie requests besides the app's own.
   * @default []
   */
  allowedOrigins?: string[];
}

/** What to do when a revoked or rotated token comes back. */
export type SessionReplayPolicy = 'emit' | 'revoke-user-sessions';

export type SessionAnomalyKind =
  | 'user_agent_changed'
  | 'ip_changed'
  | 'concurrent_locations'
  | 'country_changed'
  | 'impossible_travel';

/**
 * Where an ip is, as a `geoResolver` answers; null fields when unknown. Coordinates make
 * `impossible_travel` possible.
 * @publicApi
 */
export interface SessionGeoLocation {
  /** ISO 3166-1 alpha-2 code. */
  readonly country: string | null;
  readonly city?: string | null;
  readonly latitude?: number | null;
  readonly longitude?: number | null;
}

/** 'emit' reports the anomaly; 'revoke' also ends the session and answers 401. */
export type SessionAnomalyAction = 'emit' | 'revoke';

export interface SessionAnomalyOptions {
  /** Compare each request with what the session saw at login. @default true */
  enabled?: boolean;
  /**
   * Seconds: the same anomaly of one session is reported at most once per window, and two
   * logins of one user from different ips within it are `concurrent_locations`. @default 3600
   */
  window?: number;
  /** Per kind. @default 'emit' for every kind */
  actions?: Partial<Record<SessionAnomalyKind, SessionAnomalyAction>>;
  /**
   * Maps an ip to a location (or just its country code) to detect `country_changed` and, with
   * coordinates, `impossible_travel`; off unless given. Called only for public addresses, when a
   * request's ip differs from its session's and at sign-in; answers are cached (LRU, 10,000 ips).
   */
  geoResolver?: (
    ip: string,
  ) =>
    | SessionGeoLocation
    | string
    | null
    | undefined
    | Promise<SessionGeoLocation | string | null | undefined>;
  /**
   * km/h: faster than this between two locations (a session's sign-in and a later request, or
   * the user's latest sign-in and a new one) is `impossible_travel`. @default 1000
   */
  maxTravelSpeed?: number;
}

export interface SessionCacheOptions {
  /** Seconds a validated session may be served from memory. */
  ttl: number;
  /** Most sessions kept (least recently used go first). @default 10000 */
  max?: number;
}

/**
 * Options of `SessionModule.forRoot()` / `forRootAsync()`. Every field is optional.
 *
 * @example
 * SessionModule.forRoot({ idleTimeout: 900, maxSessionsPerUser: 3, limitStrategy: 'reject' })
 * @publicApi
 */
export interface SessionModuleOptions {
  /** Seconds of inactivity after which a session expires. @default 1800 */
  idleTimeout?: number;
  /** Seconds after creation after which a session expires, however active. @default 86400 */
  absoluteTimeout?: number;
  /**
   * Least number of seconds between two writes that extend one session (sliding renewal).
   * @default min(60, idleTimeout / 10)
   */
  touchInterval?: number;
  /** Live sessions one user may hold. @default unlimited */
  maxSessionsPerUser?: SessionLimit;
  /** @default 'evict-oldest' */
  limitStrategy?: SessionLimitStrategy;
  cookie?: SessionCookieOptions;
  /** @default ['cookie', 'bearer'] */
  transports?: SessionTransport[];
  csrf?: SessionCsrfOptions;
  /**
   * Proof-of-possession for bearer tokens (RFC 9449). A token issued for a request carrying a
   * `DPoP` proof is bound to the proof's key: it is then accepted only as `Authorization: DPoP`
   * with a fresh proof by that key for each request. Off unless given.
   */
  dpop?: SessionDpopOptions;
  /**
   * Device Bound Session Credentials (W3C DBSC draft) for the cookie transport: a browser that
   * supports it binds the session to a key it keeps (in a TPM where there is one) and from then on
   * gets only short-lived cookies, renewed by proving possession of the key. Off unless given.
   */
  deviceBound?: SessionDeviceBoundOptions;
  /**
   * Seconds after which an active cookie session gets a new token (OWASP's renewal timeout);
   * the response carries the new cookie. 0 = off. @default 0
   */
  rotationInterval?: number;
  /**
   * Seconds a rotated token keeps working, so parallel in-flight requests of the same browser
   * do not fail; after that it is a replay. Applies to `rotationInterval` rotations only:
   * an explicit `rotate()` ends the old token at once. @default 10
   */
  rotationGrace?: number;
  /**
   * Seconds ended sessions and rotated tokens are kept (as hashes) to recognise replays.
   * @default absoluteTimeout
   */
  tombstoneRetention?: number;
  /** @default 'emit' */
  onReplay?: SessionReplayPolicy;
  /** Seconds within which `@RequireFreshSession()` accepts the last authentication. @default 300 */
  reauthWindow?: number;
  anomaly?: SessionAnomalyOptions;
  /**
   * Keep recently validated sessions in process memory, so most requests skip the store. Every
   * revocation, rotation and expiry is broadcast to all instances (LISTEN/NOTIFY on PostgreSQL,
   * pub/sub on Redis) and evicts the entry everywhere; while that channel is down the cache is
   * bypassed. Off unless set. @default undefined
   */
  cache?: SessionCacheOptions;
  /**
   * Seconds between runs of the cleanup job that deletes expired sessions and tombstones past
   * retention; 0 turns it off (e.g. when a cron job calls `SessionCleanup.run()`). @default 300
   */
  cleanupInterval?: number;
  /** Rows deleted per statement by the cleanup job, so no run holds long locks. @default 1000 */
  cleanupBatchSize?: number;
  /**
   * Send `Cache-Control: no-store` and `Vary: Cookie, Authorization` on every response of a route
   * the guard admitted. A route that may be cached sets its own `Cache-Control` (`@Header`).
   * @default true
   */
  cacheControl?: boolean;
  /**
   * Whether a message on an open WebSocket counts as activity for the idle timeout (the guard
   * renews the session as an HTTP request would). Off, an idle tab with an open socket still
   * times out; the socket is then told and closed.
   * @default false
   */
  socketActivityRenews?: boolean;
  /** Log one structured line (never a token) per session event. @default true */
  logEvents?: boolean;
  /** Name of the TypeORM data source the default store uses. @default 'default' */
  dataSourceName?: string;
  /**
   * Replaces the default PostgreSQL store: an instance, or a provider resolved through Nest's DI
   * (`{ useClass }`, `{ useFactory, inject }`, `{ useExisting }`). A provider form goes beside
   * `useFactory` in `forRootAsync({ …, store })`, not inside the options the factory returns.
   * @default the PostgreSQL store on the TypeORM DataSource `dataSourceName`
   */
  store?: SessionStore | SessionStoreProvider;
  /**
   * How instances tell each other about revoked, rotated and expired sessions (for the `cache`).
   * @default PostgreSQL LISTEN/NOTIFY with the PostgreSQL store, Redis pub/sub with the Redis
   * store, in-process only with any other store
   */
  invalidation?: SessionInvalidationChannel;
  /**
   * Resolves the app's user of a validated session; the result is attached to the request
   * (`@CurrentUser()`, `req.user`). With the `cache` on it is cached together with the session and
   * evicted with it (`SessionService.invalidateUser()` after a change of the user). Returning
   * `null` or `undefined` refuses the request with 401, as for an ended session.
   * @default undefined (no user is resolved)
   */
  resolveUser?: (session: Session) => unknown;
}

/** A `store` given as a Nest provider rather than an instance. */
export type SessionStoreProvider =
  | { useClass: Type<SessionStore> }
  | { useExisting: InjectionToken }
  | {
      useFactory: (...args: never[]) => SessionStore | Promise<SessionStore>;
      inject?: (InjectionToken | OptionalFactoryDependency)[];
    };
