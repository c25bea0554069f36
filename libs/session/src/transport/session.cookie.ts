import { Inject, Injectable } from '@nestjs/common';
import { type SerializeOptions, serialize } from 'cookie';
import { Clock } from '../clock/clock';
import type { ResolvedSessionOptions } from '../options/resolved-session-options.interface';
import { SESSION_RESOLVED_OPTIONS } from '../session.constants';
import type { Session } from '../session.interface';
import { appendHeader, type SessionResponse, setHeader } from './http-response';

/**
 * Writes and clears the session cookie, on Express and Fastify alike. The cookie is HttpOnly (no
 * script can read it), Secure, SameSite, host-only, and lives no longer than the session's
 * absolute expiry. Serialization is the `cookie` package's.
 *
 * @publicApi
 * @example
 * const { session, token } = await sessions.create(user.id, getSessionContext(request));
 * cookie.write(response, token, session);
 */
@Injectable()
export class SessionCookie {
  constructor(
    @Inject(SESSION_RESOLVED_OPTIONS) private readonly options: ResolvedSessionOptions,
    private readonly clock: Clock,
  ) {}

  /** The cookie's name (`__Host-sid` by default). */
  get name(): string {
    return this.options.cookie.name;
  }

  /**
   * `Set-Cookie` for this token, expiring with the session — or, for a device-bound (DBSC)
   * session, after `deviceBound.cookieLifetime`; the response is marked no-store.
   */
  write(
    response: SessionResponse,
    token: string,
    session: Pick<Session, 'absoluteExpiresAt'> & Partial<Pick<Session, 'boundKey'>>,
  ): void {
    this.append(response, this.serialize(token, this.expiryOf(session)));
  }

  /** The cookie's attributes as `Set-Cookie` writes them, without its lifetime (for DBSC). */
  attributeLine(): string {
    const line = serialize(this.name, 'x', this.attributes());
    return line.slice(line.indexOf(';') + 1).trim();
  }

  /** Expires the cookie and asks the browser to drop this site's cookies. */
  clear(response: SessionResponse): void {
    this.append(
      response,
      serialize(this.name, '', { ...this.attributes(), maxAge: 0, expires: new Date(0) }),
    );
    setHeader(response, 'Clear-Site-Data', '"cookies"');
  }

  /** The whole `Set-Cookie` value for `token`, with a lifetime ending at `expiresAt`. */
  serialize(token: string, expiresAt: Date): string {
    const left = (expiresAt.getTime() - this.clock.now().getTime()) / 1000;
    // Rounded down, so the cookie never outlives the session; never negative.
    const maxAge = Math.max(0, Math.floor(left));
    return serialize(this.name, token, { ...this.attributes(), maxAge, expires: expiresAt });
  }

  private expiryOf(
    session: Pick<Session, 'absoluteExpiresAt'> & Partial<Pick<Session, 'boundKey'>>,
  ): Date {
    const lifetime = this.options.deviceBound?.cookieLifetimeMs;
    if (lifetime === undefined || session.boundKey?.startsWith('dbsc:') !== true) {
      return session.absoluteExpiresAt;
    }
    const bound = this.clock.now().getTime() + lifetime;
    return new Date(Math.min(bound, session.absoluteExpiresAt.getTime()));
  }

  private attributes(): SerializeOptions {
    const { path, domain, secure, sameSite } = this.options.cookie;
    return { path, domain, secure, sameSite, httpOnly: true };
  }

  private append(response: SessionResponse, line: string): void {
    appendHeader(response, 'Set-Cookie', line);
    // A response that carries a session cookie must never be stored by a shared cache.
    setHeader(response, 'Cache-Control', 'no-store');
  }
}
