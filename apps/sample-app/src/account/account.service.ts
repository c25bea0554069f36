import { Injectable } from '@nestjs/common';
import { type Session, type SessionContext, SessionService } from '@app/session';
import { InvalidCredentialsException } from '../auth/invalid-credentials.exception';
import { PasswordChecks } from '../auth/password-checks.service';
import { SessionEndedException } from '../common/unauthorized.exception';
import { UsersService } from '../users/users.service';

@Injectable()
export class AccountService {
  constructor(
    private readonly users: UsersService,
    private readonly sessions: SessionService,
    private readonly checks: PasswordChecks,
  ) {}

  /**
   * Deletes the caller's account and ends every session it had (ASVS 5.0 7.4.2). The user is
   * deleted first: from then on no login can pass its password check; the revocation that follows
   * ends every session and records a watermark, so a login already past its password check is
   * refused when it creates its session — none is left behind, even under a race.
   * Reason 'user': the account holder asked for it, as with DELETE /sessions; 'admin' is kept
   * for actions of an operator.
   */
  async delete(
    session: Session,
    password: string,
    client: Required<SessionContext>,
  ): Promise<void> {
    if (!(await this.checks.confirm(session.userId, password, client))) {
      throw new InvalidCredentialsException();
    }
    const deleted = await this.users.delete(session.userId);
    await this.sessions.revokeAllForUser(session.userId, { reason: 'user' });
    if (!deleted) throw new SessionEndedException();
  }
}
