import { Injectable } from '@nestjs/common';
import { type Session, type SessionContext, SessionService } from '@app/session';
import { SessionEndedException } from '../common/unauthorized.exception';
import { UsersService, type UserView } from '../users/users.service';
import type { ChangePasswordDto } from './dto/change-password.dto';
import type { RegisterDto } from './dto/register.dto';
import { InvalidCredentialsException } from './invalid-credentials.exception';

/** A session and the token for it: the only moment the raw token exists on the server. */
export type IssuedSession = Awaited<ReturnType<SessionService['create']>>;

@Injectable()
export class AuthService {
  constructor(
    private readonly users: UsersService,
    private readonly sessions: SessionService,
  ) {}

  register(dto: RegisterDto): Promise<UserView> {
    return this.users.register(dto.email, dto.password);
  }

  /**
   * Always a brand-new session: whatever token the client already sent (a cookie planted by an
   * attacker, say) is neither adopted nor upgraded — the session fixation defence.
   */
  startSession(user: UserView, context: SessionContext): Promise<IssuedSession> {
    return this.sessions.create(user.id, context);
  }

  async logout(session: Session): Promise<void> {
    await this.sessions.revoke(session.id, 'logout');
  }

  /**
   * Changes the password, then treats the caller as freshly authenticated: their session gets a new
   * token (the old one dies at once) and every other session of the user is revoked, since any of them
   * may belong to whoever knew the old password.
   */
  async changePassword(
    session: Session,
    dto: ChangePasswordDto,
    context: SessionContext,
  ): Promise<IssuedSession> {
    if (!(await this.users.verifyPassword(session.userId, dto.currentPassword))) {
      throw new InvalidCredentialsException();
    }
    if (!(await this.users.updatePassword(session.userId, dto.newPassword))) {
      throw new SessionEndedException();
    }
    const rotated = await this.sessions.rotate(session.id, context, { reauthenticated: true });
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
   */
  async reauthenticate(
    session: Session,
    password: string,
    context: SessionContext,
  ): Promise<IssuedSession> {
    if (!(await this.users.verifyPassword(session.userId, password))) {
      throw new InvalidCredentialsException();
    }
    const rotated = await this.sessions.rotate(session.id, context, { reauthenticated: true });
    if (rotated === null) throw new SessionEndedException();
    return rotated;
  }
}
