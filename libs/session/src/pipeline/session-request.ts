import type { Request } from 'express';
import type { Session, SessionContext } from '../session.interface';
import type { SessionTransport } from '../options/session-module-options.interface';

interface Attached {
  readonly session: Session;
  readonly via: SessionTransport;
}

/**
 * Sessions by request, beside the request rather than on it: adding properties to Express'
 * request object changed its hidden class on every request (measurable in CPU profiles), and
 * nothing else can read or overwrite a WeakMap entry. Entries go with their request.
 */
const attached = new WeakMap<object, Attached>();

/**
 * What the request says about the client. `req.ip` honours Express's `trust proxy` setting, so
 * X-Forwarded-For is believed only when the app is configured to trust its proxy.
 */
export function getSessionContext(request: Request): SessionContext {
  const userAgent = request.headers['user-agent'];
  return { ip: request.ip ?? null, userAgent: typeof userAgent === 'string' ? userAgent : null };
}

/** The session the guard validated for this request, if any. */
export function getRequestSession(request: Request): Session | undefined {
  return attached.get(request)?.session;
}

/** How the current request was authenticated: by the cookie or a bearer header. */
export function sessionAuthMethod(request: Request): SessionTransport | undefined {
  return attached.get(request)?.via;
}

export function attachSession(request: Request, session: Session, via: SessionTransport): void {
  attached.set(request, { session, via });
}
