import type { SessionStore } from '../store/session-store';

/** How a new login is handled when the user already holds `maxSessionsPerUser` live sessions. */
export type SessionLimitStrategy = 'evict-oldest' | 'evict-least-recent' | 'reject';

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

/**
 * Options of `SessionModule.forRoot()` / `forRootAsync()`. Every field is optional.
 *
 * @example
 * SessionModule.forRoot({ idleTimeout: 900, maxSessionsPerUser: 3, limitStrategy: 'reject' })
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
  /** Name of the TypeORM data source the default store uses. @default 'default' */
  dataSourceName?: string;
  /** A store instance replacing the default TypeORM/PostgreSQL store. */
  store?: SessionStore;
}
