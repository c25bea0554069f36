import type { SessionTransport } from '../options/session-module-options.interface';

export interface ExtractedToken {
  /** The raw value, unchecked; empty when the transport carried none. */
  token: string | undefined;
  via: SessionTransport | undefined;
}

interface TokenCarrier {
  headers: Record<string, string | string[] | undefined>;
}

const BEARER = /^Bearer[ ]+(\S+)[ ]*$/i;
/** Signals an unusable value so the guard answers 401 without a store lookup. */
const UNUSABLE = '!';

/**
 * Reads the token from an `Authorization: Bearer` header or the session cookie — never from a URL
 * or a body, which leak into logs, history and Referer headers. A request that presents a bearer
 * header is a bearer request (exempt from CSRF: browsers never attach it on their own).
 */
export function extractSessionToken(
  request: TokenCarrier,
  cookieName: string,
  transports: ReadonlySet<SessionTransport>,
): ExtractedToken {
  const authorization = request.headers.authorization;
  if (transports.has('bearer') && authorization !== undefined) {
    const match = typeof authorization === 'string' ? BEARER.exec(authorization) : null;
    return { token: match?.[1] ?? UNUSABLE, via: 'bearer' };
  }
  if (transports.has('cookie')) {
    const token = readCookie(request.headers.cookie, cookieName);
    if (token !== undefined) return { token, via: 'cookie' };
  }
  return { token: undefined, via: undefined };
}

/**
 * The value of one cookie, read without decoding (tokens are base64url; a percent-encoded value
 * is simply not a token). Two different values under our name mean someone planted a second
 * cookie (cookie tossing): the request is treated as carrying no usable token.
 */
export function readCookie(
  header: string | string[] | undefined,
  name: string,
): string | undefined {
  if (typeof header !== 'string' || header === '') return undefined;
  let found: string | undefined;
  for (const pair of header.split(';')) {
    const eq = pair.indexOf('=');
    if (eq === -1 || pair.slice(0, eq).trim() !== name) continue;
    const value = pair.slice(eq + 1).trim();
    if (found !== undefined && found !== value) return UNUSABLE;
    found = value;
  }
  return found;
}
