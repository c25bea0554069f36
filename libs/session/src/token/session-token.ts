import { hash, randomBytes, timingSafeEqual } from 'node:crypto';

/** 32 bytes = 256 bits of entropy: guessing a live token is out of reach (OWASP asks ≥ 64 bits). */
const TOKEN_BYTES = 32;
/** base64url of 32 bytes without padding is always 43 characters. */
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/** A new session token from the OS CSPRNG, base64url-encoded. */
export function generateSessionToken(): string {
  return randomBytes(TOKEN_BYTES).toString('base64url');
}

/**
 * Whether a client-supplied string can be a token at all. Checked before any hashing or store
 * access so garbage, oversized or percent-encoded values cost nothing and reach no query.
 */
export function isWellFormedToken(value: string): boolean {
  return value.length === 43 && TOKEN_PATTERN.test(value);
}

/**
 * SHA-256 of the token: what the store keeps and looks up. A fast hash is right here, unlike
 * for passwords: the input already has 256 bits of entropy, so there is nothing to brute-force,
 * and a database leak yields no usable token. `crypto.hash` (Node ≥ 20.12) is the one-shot form:
 * no Hash object per request, which took about a third of the time of `createHash`.
 */
export function hashSessionToken(token: string): Buffer {
  return hash('sha256', token, 'buffer');
}

/**
 * The same SHA-256 in base64: what the validation cache is keyed by. A string straight from the
 * hash, so a request answered from the cache allocates no Buffer at all.
 */
export function sessionTokenKey(token: string): string {
  return hash('sha256', token, 'base64');
}

/** The token hash a `sessionTokenKey` stands for. */
export function tokenHashOfKey(key: string): Buffer {
  return Buffer.from(key, 'base64');
}

/** Constant-time comparison of two strings, so timing reveals nothing about where they differ. */
export function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}
