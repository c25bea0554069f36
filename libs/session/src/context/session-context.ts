import type { Request } from 'express';
import type { Session, SessionContext } from '../interfaces/session.interface';
import type { SessionTransport } from '../options/session-module-options.interface';
import { REQUEST_AUTH_METHOD_KEY, REQUEST_SESSION_KEY } from '../session.constants';

type SessionCarryingRequest = Request & {
  [REQUEST_SESSION_KEY]?: Session;
  [REQUEST_AUTH_METHOD_KEY]?: SessionTransport;
};

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
  return (request as SessionCarryingRequest)[REQUEST_SESSION_KEY];
}

/** How the current request was authenticated: by the cookie or a bearer header. */
export function sessionAuthMethod(request: Request): SessionTransport | undefined {
  return (request as SessionCarryingRequest)[REQUEST_AUTH_METHOD_KEY];
}

export function attachSession(request: Request, session: Session, via: SessionTransport): void {
  const carrier = request as SessionCarryingRequest;
  carrier[REQUEST_SESSION_KEY] = session;
  carrier[REQUEST_AUTH_METHOD_KEY] = via;
}
