import { Injectable } from '@nestjs/common';
import { type Session, SessionService } from '@app/session';
import { InvalidCredentialsException } from '../auth/invalid-credentials.exception';
import { SessionEndedException } from '../common/unauthorized.exception';
import { UsersService } from '../users/users.service';

@Injectable()
export class AccountService {
  constructor(
    private readonly users: UsersService,
    private readonly sessions: SessionService,
  ) {}

  /**
   * Deletes the caller's account and ends every session it had (ASVS 5.0 7.4.2). The user is
   * deleted first: from then on no login can start a new session, so the revocation that follows
   * leaves none behind (a login already past its password check is the only, tiny, window).
   * Reason 'user': the account holder asked for it, as with DELETE /sessions; 'admin' is kept
   * for actions of an operator.
   */
  async delete(session: Session, password: string): Promise<void> {
    if (!(await this.users.verifyPassword(session.userId, password))) {
      throw new InvalidCredentialsException();
    }
    const deleted = await this.users.delete(session.userId);
    await this.sessions.revokeAllForUser(session.userId, { reason: 'user' });
    if (!deleted) throw new SessionEndedException();
  }
}
