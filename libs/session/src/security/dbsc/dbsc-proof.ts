import type { JWK } from 'jose';
import { loadJose } from '../jose.loader';

/** What the draft lets a browser sign with (`none` is allowed by the draft, never by us). */
export const DBSC_ALGORITHMS = ['ES256', 'RS256'] as const;

export class DbscProofError extends Error {
  constructor(readonly failure: 'invalid' | 'another_key') {
    super(`DBSC proof refused: ${failure}`);
  }
}

/**
 * A registration proof (`Secure-Session-Response`): a JWT with `typ: dbsc+jwt`, the public key in
 * its header, signed by that key, `jti` the challenge. Answers the key and the challenge; whether
 * the challenge is one this server issued is the caller's to check.
 */
export async function verifyRegistrationProof(
  proof: string,
): Promise<{ jwk: JWK; challenge: string }> {
  const { EmbeddedJWK, jwtVerify } = await loadJose();
  try {
    const { payload, protectedHeader } = await jwtVerify(proof, EmbeddedJWK, {
      typ: 'dbsc+jwt',
      algorithms: [...DBSC_ALGORITHMS],
    });
    if (typeof payload.jti !== 'string' || payload.jti === '') throw new DbscProofError('invalid');
    return { jwk: publicPart(protectedHeader.jwk as JWK), challenge: payload.jti };
  } catch (error) {
    if (error instanceof DbscProofError) throw error;
    throw new DbscProofError('invalid');
  }
}

/**
 * A refresh proof: the same JWT without a key in its header (the draft forbids one), checked
 * against the key bound at registration. A valid JWT signed by any other key is `another_key`.
 */
export async function verifyRefreshProof(proof: string, boundJwk: JWK): Promise<string> {
  const { importJWK, jwtVerify, decodeProtectedHeader } = await loadJose();
  let alg: string | undefined;
  try {
    alg = decodeProtectedHeader(proof).alg;
  } catch {
    throw new DbscProofError('invalid');
  }
  if (!DBSC_ALGORITHMS.includes(alg as (typeof DBSC_ALGORITHMS)[number])) {
    throw new DbscProofError('invalid');
  }
  try {
    const key = await importJWK(boundJwk, alg);
    const { payload } = await jwtVerify(proof, key, {
      typ: 'dbsc+jwt',
      algorithms: [...DBSC_ALGORITHMS],
    });
    if (typeof payload.jti !== 'string' || payload.jti === '') throw new DbscProofError('invalid');
    return payload.jti;
  } catch (error) {
    if (error instanceof DbscProofError) throw error;
    const code = (error as { code?: string }).code;
    throw new DbscProofError(
      code === 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED' ? 'another_key' : 'invalid',
    );
  }
}

/** The public members only, whatever else the header carried. */
function publicPart(jwk: JWK): JWK {
  const { kty, crv, x, y, n, e } = jwk;
  return Object.fromEntries(
    Object.entries({ kty, crv, x, y, n, e }).filter(([, value]) => value !== undefined),
  );
}
