import { createHmac, randomBytes } from 'node:crypto';
import { safeEqual } from '../../token/session-token';

/**
 * Challenges a browser signs to register or refresh a device-bound session. Stateless: each one
 * is `<issued at, base36>.<random>.<HMAC of both and the session id>`, so any instance holding
 * the shared secret can tell one it (or another instance) issued for that session, and how old
 * it is. Single use is the store's (`claimProof`), so a challenge cannot serve twice anywhere.
 */
export class DbscChallenges {
  /** A signature may arrive for an older challenge after a newer one went out (races). */
  static readonly LIFETIME_MS = 5 * 60_000;

  constructor(private readonly secret: string) {}

  issue(sessionId: string, now: Date): string {
    const body = `${now.getTime().toString(36)}.${randomBytes(16).toString('base64url')}`;
    return `${body}.${this.sign(sessionId, body)}`;
  }

  /** When `challenge` was issued for `sessionId`, or null when it was not (or is too old). */
  issuedAt(sessionId: string, challenge: string, now: Date): Date | null {
    const [issued, random, signature, ...rest] = challenge.split('.');
    if (rest.length > 0 || !issued || !random || !signature) return null;
    if (!safeEqual(signature, this.sign(sessionId, `${issued}.${random}`))) return null;
    const at = Number.parseInt(issued, 36);
    const age = now.getTime() - at;
    return Number.isFinite(at) && age >= -60_000 && age <= DbscChallenges.LIFETIME_MS
      ? new Date(at)
      : null;
  }

  private sign(sessionId: string, body: string): string {
    return createHmac('sha256', this.secret).update(`${sessionId}.${body}`).digest('base64url');
  }
}
