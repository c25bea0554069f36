import { getSessionContext, type SessionContext } from '@app/session';
import type { Request } from 'express';

/** The client of a request as the app records it: ip (per TRUST_PROXY) and user agent. */
export function clientOf(request: Request): Required<SessionContext> {
  const { ip, userAgent } = getSessionContext(request);
  return { ip: ip ?? null, userAgent: userAgent ?? null };
}
