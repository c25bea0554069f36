import { createHash } from 'node:crypto';
import type { JWK } from 'jose';
import { loadJose } from '../jose.loader';
import { DPOP_ALGORITHMS } from './dpop-algorithms';

/** The longest `jti` accepted: it is stored (with the key's thumbprint) until the proof expires. */
const MAX_JTI = 128;

/** Why a proof was refused; named in logs, never sent to the client beyond the 401's code. */
export type DpopProofFailure =
  'missing' | 'multiple' | 'invalid' | 'method' | 'url' | 'iat' | 'ath' | 'key' | 'replay';

export class DpopProofError extends Error {
  constructor(readonly failure: DpopProofFailure) {
    super(`DPoP proof refused: ${failure}`);
  }
}

export interface ExpectedDpopProof {
  /** The request's method (`htm`). */
  method: string;
  /** The request's URL without query and fragment (`htu`). */
  url: string;
  /** The access token the request presents (`ath`); absent when a token is being issued. */
  accessToken?: string;
  now: Date;
  /** How far `iat` may be from `now`, either way. */
  lifetimeMs: number;
}

export interface VerifiedDpopProof {
  /** RFC 7638 thumbprint (SHA-256, base64url) of the public key that signed the proof. */
  thumbprint: string;
  jti: string;
  /** Until when the proof could be replayed (its `iat` plus the lifetime). */
  replayableUntil: Date;
  /** The server nonce the proof carries, unchecked. */
  nonce: string | undefined;
}

/**
 * Checks one DPoP proof JWT (RFC 9449 §4.3) against the request it came with: the signature by
 * the public key in its own header (`typ: dpop+jwt`, an asymmetric `alg`, no private key), the
 * method and URL, the age, and — for a request that presents a token — the token's hash. Whether
 * the `jti` was seen before is the caller's to check, in the store, across instances.
 */
export async function verifyDpopProof(
  proof: string,
  expected: ExpectedDpopProof,
): Promise<VerifiedDpopProof> {
  const { calculateJwkThumbprint, EmbeddedJWK, jwtVerify } = await loadJose();
  let verified;
  try {
    verified = await jwtVerify(proof, EmbeddedJWK, {
      typ: 'dpop+jwt',
      algorithms: DPOP_ALGORITHMS,
    });
  } catch {
    throw new DpopProofError('invalid');
  }
  const { payload, protectedHeader } = verified;
  const { htm, htu, iat, jti, ath, nonce } = payload as Record<string, unknown>;
  if (typeof jti !== 'string' || jti === '' || jti.length > MAX_JTI) {
    throw new DpopProofError('invalid');
  }
  if (htm !== expected.method) throw new DpopProofError('method');
  if (typeof htu !== 'string' || !sameUrl(htu, expected.url)) throw new DpopProofError('url');
  if (
    typeof iat !== 'number' ||
    Math.abs(iat * 1000 - expected.now.getTime()) > expected.lifetimeMs
  ) {
    throw new DpopProofError('iat');
  }
  if (expected.accessToken !== undefined) {
    if (ath !== accessTokenHash(expected.accessToken)) throw new DpopProofError('ath');
  }
  return {
    thumbprint: await calculateJwkThumbprint(protectedHeader.jwk as JWK, 'sha256'),
    jti,
    replayableUntil: new Date(iat * 1000 + expected.lifetimeMs),
    nonce: typeof nonce === 'string' ? nonce : undefined,
  };
}

/** `ath`: base64url of the SHA-256 of the token's ASCII bytes. */
export function accessTokenHash(token: string): string {
  return createHash('sha256').update(token, 'ascii').digest('base64url');
}

/** Syntax-based comparison (RFC 3986 §6.2.2): scheme and host case, default ports, no query. */
function sameUrl(htu: string, requestUrl: string): boolean {
  let claimed: URL;
  try {
    claimed = new URL(htu);
  } catch {
    return false;
  }
  const actual = new URL(requestUrl);
  return claimed.origin === actual.origin && claimed.pathname === actual.pathname;
}
