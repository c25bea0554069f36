import type { SessionTransport } from '../options/session-module-options.interface';
import type { Session, SessionContext } from '../session.interface';
import { normalizeIp } from '../core/session.mapper';

/**
 * What the library reads of a request — the same on Express and Fastify (and what a WebSocket
 * handshake or a GraphQL context can offer): no platform types in the public signatures.
 */
export interface SessionRequest {
  readonly method?: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The client address as the platform's proxy-trust settings define it. */
  readonly ip?: string;
  /** `http` or `https`, as the platform's proxy-trust settings define it. */
  readonly protocol?: string;
  /** Host (with port) as the platform's proxy-trust settings define it (Express 5, Fastify). */
  readonly host?: string;
  /** Path and query as the client sent them (Express). */
  readonly originalUrl?: string;
  /** Path and query (Fastify; Express' own may be rewritten by a mounted router). */
  readonly url?: string;
}

/** What the pipeline attached to a request it authenticated. */
export interface RequestAuthentication {
  readonly session: Session;
  readonly via: SessionTransport;
  /** The `resolveUser` result, when the option is set. */
  readonly user: unknown;
}

/**
 * Sessions by request, beside the request rather than on it: adding properties to Express'
 * request object changed its hidden class on every request (measurable in CPU profiles), and
 * nothing else can read or overwrite a WeakMap entry. Entries go with their request. A request
 * the guard let through as `@Public()` is recorded as `null`, so decorators can tell "no session
 * on a public route" from "no guard ran at all" (a wiring mistake).
 */
const attached = new WeakMap<object, RequestAuthentication | null>();

/**
 * What the request says about the client. `ip` honours the platform's proxy trust (Express'
 * `trust proxy`, Fastify's `trustProxy`), so X-Forwarded-For is believed only behind a proxy the
 * app is configured to trust. An IPv4-mapped address (`::ffff:203.0.113.7`, what a dual-stack
 * listener reports) comes as its IPv4 address.
 *
 * @publicApi
 */
export function getSessionContext(request: SessionRequest): SessionContext {
  const userAgent = request.headers['user-agent'];
  return {
    ip: request.ip ? normalizeIp(request.ip) : null,
    userAgent: typeof userAgent === 'string' ? userAgent : null,
  };
}

/**
 * The session the guard validated for this request; undefined on a `@Public()` route or before
 * any guard ran.
 *
 * @publicApi
 */
export function getRequestSession(request: object): Session | undefined {
  return attached.get(request)?.session;
}

/**
 * How the current request was authenticated: by the cookie or a bearer header.
 *
 * @publicApi
 */
export function sessionAuthMethod(request: object): SessionTransport | undefined {
  return attached.get(request)?.via;
}

/** Everything the pipeline attached; null on a public route; undefined when no guard ran. */
export function requestAuthentication(request: object): RequestAuthentication | null | undefined {
  return attached.get(request);
}

export function attachAuthentication(request: object, authentication: RequestAuthentication): void {
  attached.set(request, authentication);
}

/** Records that a guard saw this request and let it through without a session (`@Public()`). */
export function markPublic(request: object): void {
  if (!attached.has(request)) attached.set(request, null);
}
