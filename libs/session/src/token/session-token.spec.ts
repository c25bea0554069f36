import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import {
  generateSessionToken,
  hashSessionToken,
  isWellFormedToken,
  safeEqual,
} from './session-token';

// Wrapped so the tests can see which primitives the token code calls; behaviour is unchanged.
jest.mock('node:crypto', () => {
  const actual = jest.requireActual<typeof import('node:crypto')>('node:crypto');
  return {
    ...actual,
    randomBytes: jest.fn(actual.randomBytes),
    timingSafeEqual: jest.fn(actual.timingSafeEqual),
  };
});

const sha256 = (value: string) => createHash('sha256').update(value, 'utf8').digest();

describe('session token', () => {
  describe('generateSessionToken', () => {
    it('is 43 base64url characters without padding, encoding 32 random bytes (256 bits)', () => {
      const token = generateSessionToken();
      expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(Buffer.from(token, 'base64url')).toHaveLength(32);
    });

    it('never repeats across 1000 tokens', () => {
      const tokens = Array.from({ length: 1000 }, generateSessionToken);
      expect(new Set(tokens).size).toBe(1000);
    });

    it('is drawn from the CSPRNG, not derived from time or a counter', () => {
      jest.mocked(randomBytes).mockClear();
      generateSessionToken();
      expect(randomBytes).toHaveBeenCalledWith(32);
    });
  });

  describe('hashSessionToken', () => {
    it('is the 32-byte SHA-256 digest of the token', () => {
      const token = generateSessionToken();
      const hash = hashSessionToken(token);
      expect(hash).toBeInstanceOf(Buffer);
      expect(hash).toHaveLength(32);
      expect(hash.equals(sha256(token))).toBe(true);
    });

    it('is deterministic, so the store can look a token up by its hash', () => {
      const token = generateSessionToken();
      expect(hashSessionToken(token).equals(hashSessionToken(token))).toBe(true);
    });

    it('differs for different tokens and never contains the token', () => {
      const [a, b] = [generateSessionToken(), generateSessionToken()];
      expect(hashSessionToken(a).equals(hashSessionToken(b))).toBe(false);
      expect(hashSessionToken(a).toString('base64url')).not.toBe(a);
    });
  });

  describe('isWellFormedToken', () => {
    const valid = generateSessionToken();

    it('accepts what generateSessionToken produces', () => {
      for (let i = 0; i < 100; i++) expect(isWellFormedToken(generateSessionToken())).toBe(true);
    });

    it.each<[string, string]>([
      ['empty', ''],
      ['one character short', valid.slice(0, 42)],
      ['standard base64 padding', `${valid}=`],
      ['padding inside 43 characters', `${valid.slice(0, 42)}=`],
      ['standard base64 "+"', `${valid.slice(0, 42)}+`],
      ['standard base64 "/"', `${valid.slice(0, 42)}/`],
      ['percent-encoding', `${valid.slice(0, 40)}%2D`],
      ['one character too long', `${valid}A`],
      ['oversize (8 KiB)', 'A'.repeat(8192)],
      ['NUL byte', `${valid.slice(0, 42)}\0`],
      ['trailing NUL after a valid token', `${valid}\0`],
      ['whitespace', ` ${valid.slice(1)}`],
      ['trailing newline', `${valid.slice(0, 42)}\n`],
      ['a quote', `${valid.slice(0, 42)}"`],
      ['non-ASCII letter', `${valid.slice(0, 42)}é`],
      ['full-width letter', `${valid.slice(0, 42)}Ａ`],
    ])('rejects %s', (_label, value) => {
      expect(isWellFormedToken(value)).toBe(false);
    });
  });

  describe('safeEqual', () => {
    it('is true for equal strings and false for any difference', () => {
      const token = generateSessionToken();
      expect(safeEqual(token, `${token}`)).toBe(true);
      expect(safeEqual('', '')).toBe(true);
      expect(safeEqual(token, `${token.slice(0, 42)}${token[42] === 'A' ? 'B' : 'A'}`)).toBe(false);
      expect(safeEqual('abc', 'ABC')).toBe(false);
    });

    it('returns false, without throwing, when lengths differ', () => {
      expect(safeEqual('abc', 'abcd')).toBe(false);
      expect(safeEqual('', 'a')).toBe(false);
      // Same number of characters, different number of UTF-8 bytes.
      expect(safeEqual('é', 'e')).toBe(false);
    });

    it('compares equal-length values in constant time (crypto.timingSafeEqual)', () => {
      jest.mocked(timingSafeEqual).mockClear();
      expect(safeEqual('same-length-a', 'same-length-b')).toBe(false);
      expect(timingSafeEqual).toHaveBeenCalledTimes(1);
    });
  });
});
