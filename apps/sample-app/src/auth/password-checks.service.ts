import { Injectable } from '@nestjs/common';
import type { SessionContext } from '@app/session';
import { AuditWriter } from '../audit/audit.writer';
import { UsersService, type UserView } from '../users/users.service';
import { LoginThrottle } from './login-throttle.service';
import { TooManyAttemptsException } from './too-many-attempts.exception';

/** Audit event types of password checks (beside the session events). */
export const AuthEvents = {
  LOGIN_FAILED: 'auth.login_failed',
  THROTTLED: 'auth.throttled',
} as const;

type Client = Required<SessionContext>;

/**
 * Every password check of the app — sign-in, re-authentication, password change, account
 * deletion — goes through here: the throttle first (a refused attempt never runs argon2), then one
 * argon2 verification, then the counters and, for an account that exists, the audit trail, written
 * before the response.
 */
@Injectable()
export class PasswordChecks {
  constructor(
    private readonly users: UsersService,
    private readonly throttle: LoginThrottle,
    private readonly audit: AuditWriter,
  ) {}

  /** The user of a correct email and password, else null; 429 while throttled. */
  async signIn(email: string, password: string, client: Client): Promise<UserView | null> {
    await this.admit(email, client, () => this.users.accountIdOf(email));
    const { user, accountId } = await this.users.checkCredentials(email, password);
    await this.settle(email, client, user !== null, accountId, 'sign_in');
    return user;
  }

  /** Whether `password` is the user's (re-authentication, sensitive changes); 429 while throttled. */
  async confirm(userId: string, password: string, client: Client): Promise<boolean> {
    const user = await this.users.findById(userId);
    if (user === null) return false;
    await this.admit(user.email, client, () => Promise.resolve(userId));
    const valid = await this.users.verifyPassword(userId, password);
    await this.settle(user.email, client, valid, userId, 'confirmation');
    return valid;
  }

  private async admit(
    email: string,
    client: Client,
    accountId: () => Promise<string | null>,
  ): Promise<void> {
    try {
      await this.throttle.admit(email, client.ip);
    } catch (error) {
      const userId = error instanceof TooManyAttemptsException ? await accountId() : null;
      if (userId && error instanceof TooManyAttemptsException) {
        await this.record(
          AuthEvents.THROTTLED,
          userId,
          `retry_after_${error.retryAfterSeconds}s`,
          client,
        );
      }
      throw error;
    }
  }

  private async settle(
    email: string,
    client: Client,
    valid: boolean,
    accountId: string | null,
    kind: 'sign_in' | 'confirmation',
  ): Promise<void> {
    if (valid) {
      await this.throttle.succeeded(email, client.ip);
      return;
    }
    const blockedFor = await this.throttle.failed(email, client.ip);
    if (accountId === null) return;
    await this.record(AuthEvents.LOGIN_FAILED, accountId, kind, client);
    if (blockedFor !== null) {
      await this.record(AuthEvents.THROTTLED, accountId, `blocked_${blockedFor}s`, client);
    }
  }

  private record(type: string, userId: string, reason: string, client: Client): Promise<void> {
    return this.audit.record({ type, userId, sessionId: null, reason, ...client, at: new Date() });
  }
}
