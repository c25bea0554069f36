import { Inject, Injectable } from '@nestjs/common';
import type { Response } from 'express';
import { Clock } from '../clock/clock';
import type { Session } from '../session.interface';
import type { ResolvedSessionOptions } from '../options/resolved-session-options';
import { SESSION_RESOLVED_OPTIONS } from '../session.constants';

/**
 * Writes and clears the session cookie. The cookie is HttpOnly (no script can read it), Secure,
 * SameSite, host-only, and lives no longer than the session's absolute expiry.
 */
@Injectable()
export class SessionCookie {
  constructor(
    @Inject(SESSION_RESOLVED_OPTIONS) private readonly options: ResolvedSessionOptions,
    private readonly clock: Clock,
  ) {}

  write(response: Response, token: string, session: Session): void {
    const maxAge = Math.max(
      0,
      Math.floor((session.absoluteExpiresAt.getTime() - this.clock.now().getTime()) / 1000),
    );
    this.append(
      response,
      `${this.options.cookie.name}=${token}`,
      maxAge,
      session.absoluteExpiresAt,
    );
  }

  /** Expires the cookie and asks the browser to drop this site's cookies. */
  clear(response: Response): void {
    this.append(response, `${this.options.cookie.name}=`, 0, new Date(0));
    response.setHeader('Clear-Site-Data', '"cookies"');
  }

  private append(response: Response, pair: string, maxAge: number, expires: Date): void {
    const { path, domain, secure, sameSite } = this.options.cookie;
    const attributes = [
      pair,
      `Max-Age=${maxAge}`,
      `Expires=${expires.toUTCString()}`,
      `Path=${path}`,
      domain ? `Domain=${domain}` : undefined,
      'HttpOnly',
      secure ? 'Secure' : undefined,
      `SameSite=${sameSite[0].toUpperCase()}${sameSite.slice(1)}`,
    ];
    response.append('Set-Cookie', attributes.filter(Boolean).join('; '));
    // A response that carries a session cookie must never be stored by a shared cache.
    response.setHeader('Cache-Control', 'no-store');
  }
}
