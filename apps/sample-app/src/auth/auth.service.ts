import { Injectable } from '@nestjs/common';
import {
  type IssuedSession,
  type Session,
  SessionAuthenticator,
  type SessionContext,
  SessionService,
  SessionUnauthorizedException,
} from '@app/session';
import type { Request } from 'express';
import { SessionEndedException } from '../common/unauthorized.exception';
import { clientHintsData } from '../sessions/client-hints';
import { sessionDataOf } from '../users/session-user';
import { UsersService, type UserView } from '../users/users.service';
import type { ChangePasswordDto } from './dto/change-password.dto';
import type { RegisterDto } from './dto/register.dto';
import { InvalidCredentialsException } from './invalid-credentials.exception';
import { LoginThrottle } from './login-throttle.service';
import { PasswordChecks } from './password-checks.service';
import { signInStartOf } from './sign-in-start';

export type { IssuedSession };

type Client = Required<SessionContext>;

@Injectable()
export class AuthService {
  constructor(
    private readonly users: UsersService,
    private readonly sessions: SessionService,
    private readonly authenticator: SessionAuthenticator,
    private readonly checks: PasswordChecks,
    private readonly throttle: LoginThrottle,
  ) {}

  /** REGISTER_MAX_PER_IP registrations per address and hour; then 429 before any hashing. */
  async register(dto: RegisterDto, client: Client): Promise<UserView> {
    await this.throttle.admitRegistration(client.ip);
    return this.users.register(dto.email, dto.password);
  }

  /**
   * Always a brand-new session: whatever token the client already sent (a cookie planted by an
   * attacker, say) is neither adopted nor upgraded — the session fixation defence — and the
   * session it presents, whoever's it is, ends (reason `replaced`). The new session is refused if
   * the user's sessions were revoked after this sign-in began (a password change that raced it).
   */
  async startSession(
    user: UserView,
    request: Request,
    client: Client,
    { boundKey = null }: { boundKey?: string | null } = {},
  ): Promise<IssuedSession> {
    await this.authenticator.endPresentedSession(request);
    try {
      const data = { ...sessionDataOf(user), ...clientHintsData(request.headers) };
      return await this.sessions.create(user.id, client, data, {
        authenticatedSince: signInStartOf(request),
        boundKey,
      });
    } catch (error) {
      if (error instanceof SessionUnauthorizedException) throw new InvalidCredentialsException();
      throw error;
    }
  }

  async logout(session: Session): Promise<void> {
    await this.sessions.revoke(session.id, 'logout');
  }

  /**
   * Changes the password, then treats the caller as freshly authenticated: their session gets a new
   * token (the old one dies at once) and every other session of the user is revoked, since any of
   * them may belong to whoever knew the old password. The revocation comes after the new hash is
   * stored, so a login that read the old hash either finished before it (and is ended by it) or is
   * refused by its watermark.
   */
  async changePassword(
    session: Session,
    dto: ChangePasswordDto,
    client: Client,
  ): Promise<IssuedSession> {
    if (!(await this.checks.confirm(session.userId, dto.currentPassword, client))) {
      throw new InvalidCredentialsException();
    }
    if (!(await this.users.updatePassword(session.userId, dto.newPassword))) {
      throw new SessionEndedException();
    }
    const rotated = await this.sessions.rotate(session.id, client, { reauthenticated: true });
    // Revoke the others even when this session ended meanwhile: the password changed regardless.
    await this.sessions.revokeAllForUser(session.userId, {
      exceptSessionId: rotated?.session.id,
      reason: 'password_change',
    });
    if (rotated === null) throw new SessionEndedException();
    return rotated;
  }

  /**
   * Re-authentication before sensitive actions (`@RequireFreshSession`): the password proves the
   * user is present, and the session is rotated as at login — a new token, a new CSRF token, and
   * `authenticatedAt` now — so a token observed before this point cannot ride on the new trust.
   * Throttled like a sign-in, so a stolen cookie cannot guess the password online.
   */
  async reauthenticate(session: Session, password: string, client: Client): Promise<IssuedSession> {
    if (!(await this.checks.confirm(session.userId, password, client))) {
      throw new InvalidCredentialsException();
    }
    const rotated = await this.sessions.rotate(session.id, client, { reauthenticated: true });
    if (rotated === null) throw new SessionEndedException();
    return rotated;
  }
}
