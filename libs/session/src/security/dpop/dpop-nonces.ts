import { createHmac } from 'node:crypto';
import { safeEqual } from '../../token/session-token';

/**
 * DPoP server nonces (RFC 9449 §8), stateless: `<window, base36>.<HMAC of it>`, where the window
 * is the current slice of `lifetimeMs`. The current and the previous window are accepted (a
 * client that fetched its nonce just before a window ended), so a nonce lives between one and
 * two lifetimes, and any instance with the shared secret can check one another issued.
 */
export class DpopNonces {
  constructor(
    private readonly secret: string,
    private readonly lifetimeMs: number,
  ) {}

  current(now: Date): string {
    return this.forWindow(Math.floor(now.getTime() / this.lifetimeMs));
  }

  isValid(nonce: string | undefined, now: Date): boolean {
    if (nonce === undefined) return false;
    const window = Math.floor(now.getTime() / this.lifetimeMs);
    return safeEqual(nonce, this.forWindow(window)) || safeEqual(nonce, this.forWindow(window - 1));
  }

  private forWindow(window: number): string {
    const label = window.toString(36);
    const mac = createHmac('sha256', this.secret).update(`dpop-nonce.${label}`).digest('base64url');
    return `${label}.${mac}`;
  }
}
