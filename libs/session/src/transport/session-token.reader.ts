import type { SessionTransport } from '../options/session-module-options.interface';

export interface ExtractedToken {
  /** The raw value, unchecked; empty when the transport carried none. */
  token: string | undefined;
  via: SessionTransport | undefined;
  /** The Authorization scheme of a header token: `DPoP` for a proof-of-possession request. */
  scheme?: 'bearer' | 'dpop';
}

interface TokenCarrier {
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
}

const AUTHORIZATION = /^(Bearer|DPoP)[ ]+(\S+)[ ]*$/i;
/** Signals an unusable value so the guard answers 401 without a store lookup. */
const UNUSABLE = '!';

/**
 * Reads the token from an `Authorization: Bearer` (or `DPoP`) header or the session cookie — never from a URL
 * or a body, which leak into logs, history and Referer headers. A request that presents a bearer
 * header is a bearer request (exempt from CSRF: browsers never attach it on their own).
 */
export function readSessionToken(
  request: TokenCarrier,
  cookieName: string,
  transports: ReadonlySet<SessionTransport>,
): ExtractedToken {
  const authorization = request.headers.authorization;
  if (transports.has('bearer') && authorization !== undefined) {
    const match = typeof authorization === 'string' ? AUTHORIZATION.exec(authorization) : null;
    if (match === null) return { token: UNUSABLE, via: 'bearer', scheme: 'bearer' };
    const scheme = match[1].toLowerCase() === 'dpop' ? 'dpop' : 'bearer';
    return { token: match[2], via: 'bearer', scheme };
  }
  if (transports.has('cookie')) {
    const token = readCookie(request.headers.cookie, cookieName);
    if (token !== undefined) return { token, via: 'cookie' };
  }
  return { token: undefined, via: undefined };
}

/**
 * Hand-written rather than `cookie.parse`: that keeps the first of two cookies with one name and
 * drops the other, so it cannot see cookie tossing (the spec beside this file shows it).
 *
 * The value of one cookie, read without decoding (tokens are base64url; a percent-encoded value
 * is simply not a token). Two different values under our name mean someone planted a second
 * cookie (cookie tossing): the request is treated as carrying no usable token.
 * Walks the header in place (every request passes here): only the value is ever copied out.
 */
export function readCookie(
  header: string | string[] | undefined,
  name: string,
): string | undefined {
  if (typeof header !== 'string' || header === '') return undefined;
  let found: string | undefined;
  for (let start = 0; start < header.length;) {
    const semicolon = header.indexOf(';', start);
    const end = semicolon === -1 ? header.length : semicolon;
    const nameStart = skipSpaces(header, start, end);
    if (header.startsWith(name, nameStart)) {
      const eq = skipSpaces(header, nameStart + name.length, end);
      if (eq < end && header.charCodeAt(eq) === EQUALS) {
        const value = header.slice(eq + 1, end).trim();
        if (found !== undefined && found !== value) return UNUSABLE;
        found = value;
      }
    }
    start = end + 1;
  }
  return found;
}

const EQUALS = 0x3d;
const SPACE = 0x20;
const TAB = 0x09;

/** The first index from `from` (before `end`) that is not a space or tab (RFC 6265 OWS). */
function skipSpaces(text: string, from: number, end: number): number {
  let i = from;
  while (i < end && (text.charCodeAt(i) === SPACE || text.charCodeAt(i) === TAB)) i++;
  return i;
}
