import { parse } from 'cookie';
import type { SessionTransport } from '../options/session-module-options.interface';
import { generateSessionToken, isWellFormedToken } from '../token/session-token';
import { readSessionToken } from './session-token.reader';

const COOKIE = '__Host-sid';
const BOTH = new Set<SessionTransport>(['cookie', 'bearer']);
const bearerToken = generateSessionToken();
const cookieToken = generateSessionToken();

const extract = (
  headers: Record<string, string | undefined>,
  transports: ReadonlySet<SessionTransport> = BOTH,
) => readSessionToken({ headers }, COOKIE, transports);

/** A value the guard must refuse without a store lookup: present, but never a token. */
function expectUnusable(token: string | undefined): void {
  expect(token).toBeDefined();
  expect(isWellFormedToken(token ?? '')).toBe(false);
}

describe('readSessionToken', () => {
  describe('bearer', () => {
    it('reads "Authorization: Bearer <token>"', () => {
      expect(extract({ authorization: `Bearer ${bearerToken}` })).toEqual({
        token: bearerToken,
        via: 'bearer',
        scheme: 'bearer',
      });
    });

    it('reads "Authorization: DPoP <token>" as a bearer token of the DPoP scheme', () => {
      expect(extract({ authorization: `DPoP ${bearerToken}` })).toEqual({
        token: bearerToken,
        via: 'bearer',
        scheme: 'dpop',
      });
    });

    it('takes the bearer header over the cookie when a request carries both', () => {
      expect(
        extract({ authorization: `Bearer ${bearerToken}`, cookie: `${COOKIE}=${cookieToken}` }),
      ).toEqual({ token: bearerToken, via: 'bearer', scheme: 'bearer' });
    });

    it('accepts the scheme in any case (RFC 9110: case-insensitive)', () => {
      expect(extract({ authorization: `bearer ${bearerToken}` }).token).toBe(bearerToken);
    });

    it.each([
      ['another scheme', `Basic ${Buffer.from('u:p').toString('base64')}`],
      ['no token', 'Bearer'],
      ['an empty header', ''],
      ['two tokens', `Bearer ${bearerToken} ${cookieToken}`],
      ['no space', `Bearer${bearerToken}`],
      ['a tab separator', `Bearer\t${bearerToken}`],
    ])(
      'turns a malformed Authorization header (%s) into an unusable bearer value, without falling back to the cookie',
      (_label, authorization) => {
        const result = extract({ authorization, cookie: `${COOKIE}=${cookieToken}` });
        expect(result.via).toBe('bearer');
        expectUnusable(result.token);
        expect(result.token).not.toBe(cookieToken);
      },
    );
  });

  describe('cookie', () => {
    it('finds the session cookie among several others', () => {
      const cookie = `theme=dark; ${COOKIE}=${cookieToken}; _ga=GA1.2.3; lang=en`;
      expect(extract({ cookie })).toEqual({ token: cookieToken, via: 'cookie' });
    });

    it('tolerates missing or extra spaces between pairs', () => {
      expect(extract({ cookie: `a=1;${COOKIE}=${cookieToken}  ;b=2` }).token).toBe(cookieToken);
    });

    it('ignores cookies whose name merely contains the session cookie name', () => {
      const cookie = `x${COOKIE}=${bearerToken}; ${COOKIE}2=${bearerToken}`;
      expect(extract({ cookie })).toEqual({ token: undefined, via: undefined });
    });

    it('returns the raw value without URL-decoding it', () => {
      expect(extract({ cookie: `${COOKIE}=abc%2Ddef` }).token).toBe('abc%2Ddef');
    });

    it('treats two different values under the session name as unusable (cookie tossing)', () => {
      const cookie = `${COOKIE}=${cookieToken}; other=1; ${COOKIE}=${bearerToken}`;
      const result = extract({ cookie });
      expect(result.via).toBe('cookie');
      expectUnusable(result.token);
      expect([cookieToken, bearerToken]).not.toContain(result.token);
    });

    it('is hand-written because cookie.parse drops the second value and cannot see the tossing', () => {
      const header = `${COOKIE}=${cookieToken}; ${COOKIE}=${bearerToken}`;
      expect(parse(header)[COOKIE]).toBe(cookieToken);
      expectUnusable(extract({ cookie: header }).token);
    });

    it('accepts the same value sent twice', () => {
      const cookie = `${COOKIE}=${cookieToken}; ${COOKIE}=${cookieToken}`;
      expect(extract({ cookie })).toEqual({ token: cookieToken, via: 'cookie' });
    });

    it('finds nothing without a Cookie header or with an empty one', () => {
      expect(extract({})).toEqual({ token: undefined, via: undefined });
      expect(extract({ cookie: '' })).toEqual({ token: undefined, via: undefined });
    });
  });

  describe('transports', () => {
    it('ignores the Authorization header when only the cookie transport is enabled', () => {
      const headers = {
        authorization: `Bearer ${bearerToken}`,
        cookie: `${COOKIE}=${cookieToken}`,
      };
      expect(extract(headers, new Set(['cookie']))).toEqual({ token: cookieToken, via: 'cookie' });
      expect(extract({ authorization: headers.authorization }, new Set(['cookie']))).toEqual({
        token: undefined,
        via: undefined,
      });
    });

    it('ignores the cookie when only the bearer transport is enabled', () => {
      expect(extract({ cookie: `${COOKIE}=${cookieToken}` }, new Set(['bearer']))).toEqual({
        token: undefined,
        via: undefined,
      });
    });
  });

  it('never reads the token from the URL query or the body', () => {
    const request = {
      headers: {},
      url: `/me?token=${cookieToken}&sid=${cookieToken}`,
      query: { token: cookieToken, sid: cookieToken, [COOKIE]: cookieToken },
      body: { token: cookieToken, sid: cookieToken, [COOKIE]: cookieToken },
    };
    expect(readSessionToken(request, COOKIE, BOTH)).toEqual({
      token: undefined,
      via: undefined,
    });
  });
});
