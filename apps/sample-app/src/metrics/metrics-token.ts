import { createHash, timingSafeEqual } from 'node:crypto';

const BEARER = /^Bearer[ ]+(\S+)[ ]*$/i;

/**
 * Whether an Authorization header carries `token` as a bearer token. Both sides are hashed
 * before the constant-time comparison, so neither their contents nor their lengths show in
 * the timing.
 */
export function carriesMetricsToken(authorization: string | undefined, token: string): boolean {
  const presented = authorization === undefined ? undefined : BEARER.exec(authorization)?.[1];
  if (presented === undefined) return false;
  return timingSafeEqual(sha256(presented), sha256(token));
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}
