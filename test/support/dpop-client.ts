import { randomUUID } from 'node:crypto';
import { generateKeyPair, generateProof, type JWSAlgorithm, type KeyPair } from 'dpop';
import { exportJWK, type JWK, SignJWT } from 'jose';

/**
 * A DPoP client as an API client would be (the `dpop` package makes its proofs), plus the bad
 * proofs an attacker or a broken client would send, signed by hand with jose.
 */
export class DpopClient {
  private constructor(
    readonly keys: KeyPair,
    readonly alg: JWSAlgorithm,
    private readonly baseUrl: string,
  ) {}

  static async create(baseUrl: string, alg: JWSAlgorithm = 'ES256'): Promise<DpopClient> {
    return new DpopClient(await generateKeyPair(alg), alg, baseUrl);
  }

  /** A valid proof for `method path` (and `token`, once the client holds one; `nonce` if asked). */
  proof(method: string, path: string, token?: string, nonce?: string): Promise<string> {
    return generateProof(this.keys, this.baseUrl + path, method, nonce, token);
  }

  /** A proof signed by this client's key with claims and header of the caller's choosing. */
  async custom(
    claims: Record<string, unknown>,
    header: Record<string, unknown> = {},
  ): Promise<string> {
    const jwk = await this.publicJwk();
    return new SignJWT({ jti: randomUUID(), iat: Math.floor(Date.now() / 1000), ...claims })
      .setProtectedHeader({ alg: this.alg, typ: 'dpop+jwt', jwk, ...header })
      .sign(this.keys.privateKey);
  }

  /** An unsigned proof (`alg: none`), which no verifier may accept. */
  async unsigned(claims: Record<string, unknown>): Promise<string> {
    const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const header = { alg: 'none', typ: 'dpop+jwt', jwk: await this.publicJwk() };
    const payload = { jti: randomUUID(), iat: Math.floor(Date.now() / 1000), ...claims };
    return `${encode(header)}.${encode(payload)}.`;
  }

  /** A proof MACed with HS256 under a secret, its header naming this client's public key. */
  async symmetric(claims: Record<string, unknown>): Promise<string> {
    return new SignJWT({ jti: randomUUID(), iat: Math.floor(Date.now() / 1000), ...claims })
      .setProtectedHeader({ alg: 'HS256', typ: 'dpop+jwt', jwk: await this.publicJwk() })
      .sign(new TextEncoder().encode('a-shared-secret-of-at-least-32-bytes!'));
  }

  url(path: string): string {
    return this.baseUrl + path;
  }

  publicJwk(): Promise<JWK> {
    return exportJWK(this.keys.publicKey);
  }
}
