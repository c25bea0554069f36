import { Injectable, type OnModuleInit } from '@nestjs/common';
import { Algorithm, hash, verify } from '@node-rs/argon2';
import { randomBytes } from 'node:crypto';

/**
 * argon2id with OWASP's minimum recommended parameters (19 MiB, 2 passes, 1 lane): slow enough to
 * make offline guessing expensive, cheap enough for a login endpoint. The only place that hashes.
 */
const ARGON2ID = {
  algorithm: Algorithm.Argon2id,
  memoryCost: 19456,
  timeCost: 2,
  parallelism: 1,
} as const;

@Injectable()
export class PasswordHasher implements OnModuleInit {
  /**
   * A hash of a random password nobody knows. Unknown emails are verified against it so that a login
   * costs one argon2 verification whether or not the account exists: response time must not reveal
   * which emails are registered.
   */
  private dummyHash: Promise<string> | undefined;

  onModuleInit(): void {
    // Computed at boot, so the first unknown-email login is not slower than the others.
    this.dummyHash = hash(randomBytes(32).toString('base64url'), ARGON2ID);
  }

  hash(password: string): Promise<string> {
    return hash(password, ARGON2ID);
  }

  /** Verifies `password` against `passwordHash`; a null hash (no such user) costs the same and fails. */
  async verify(passwordHash: string | null, password: string): Promise<boolean> {
    this.dummyHash ??= hash(randomBytes(32).toString('base64url'), ARGON2ID);
    if (passwordHash === null) {
      await verify(await this.dummyHash, password);
      return false;
    }
    return verify(passwordHash, password);
  }
}
