import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { QueryFailedError, type Repository } from 'typeorm';
import type { Session } from '@app/session';
import { EmailTakenException } from './email-taken.exception';
import { normalizeEmail } from './email';
import { PasswordHasher } from './password-hasher';
import { userKeptBy } from './session-user';
import { UserEntity } from './user.entity';

/** The public face of an account: what responses may show. */
export interface UserView {
  id: string;
  email: string;
}

const UNIQUE_VIOLATION = '23505';

@Injectable()
export class UsersService {
  constructor(
    @InjectRepository(UserEntity) private readonly users: Repository<UserEntity>,
    private readonly hasher: PasswordHasher,
  ) {}

  /** Creates an account; EmailTakenException (409) when the email is registered already. */
  async register(email: string, password: string): Promise<UserView> {
    const passwordHash = await this.hasher.hash(password);
    try {
      const user = await this.users.save(
        this.users.create({ email: normalizeEmail(email), passwordHash }),
      );
      return toUserView(user);
    } catch (error) {
      // The unique index decides, not a prior SELECT: two racing registrations cannot both win.
      if (isUniqueViolation(error)) throw new EmailTakenException();
      throw error;
    }
  }

  /**
   * Checks an email and password. `user` is set when both match; `accountId` whenever the email is
   * registered (for the audit trail of failed attempts — never for the response). Always runs
   * exactly one argon2 verification, so a wrong password and an unknown email take the same time.
   */
  async checkCredentials(
    email: string,
    password: string,
  ): Promise<{ user: UserView | null; accountId: string | null }> {
    const user = await this.users.findOneBy({ email: normalizeEmail(email) });
    const valid = await this.hasher.verify(user?.passwordHash ?? null, password);
    return { user: user !== null && valid ? toUserView(user) : null, accountId: user?.id ?? null };
  }

  /** Checks a user's current password (for re-authentication before sensitive changes). */
  async verifyPassword(userId: string, password: string): Promise<boolean> {
    const user = await this.users.findOneBy({ id: userId });
    return this.hasher.verify(user?.passwordHash ?? null, password);
  }

  /** Replaces the password hash; false when the user no longer exists. */
  async updatePassword(userId: string, newPassword: string): Promise<boolean> {
    const passwordHash = await this.hasher.hash(newPassword);
    const result = await this.users.update({ id: userId }, { passwordHash });
    return (result.affected ?? 0) > 0;
  }

  /** Deletes the account; false when it no longer exists. */
  async delete(userId: string): Promise<boolean> {
    const result = await this.users.delete({ id: userId });
    return (result.affected ?? 0) > 0;
  }

  /** The id of the account with this email, if there is one (for audit, never for responses). */
  async accountIdOf(email: string): Promise<string | null> {
    const user = await this.users.findOne({
      where: { email: normalizeEmail(email) },
      select: { id: true },
    });
    return user?.id ?? null;
  }

  /**
   * The user of a session (the SessionModule's `resolveUser`): what the session keeps, without a
   * query; only a session from before sessions kept it reads the table. Null when the user is gone.
   */
  async ofSession(session: Session): Promise<UserView | null> {
    return userKeptBy(session) ?? this.findById(session.userId);
  }

  async findById(userId: string): Promise<UserView | null> {
    const user = await this.users.findOneBy({ id: userId });
    return user === null ? null : toUserView(user);
  }
}

function toUserView(user: UserEntity): UserView {
  return { id: user.id, email: user.email };
}

function isUniqueViolation(error: unknown): boolean {
  if (!(error instanceof QueryFailedError)) return false;
  const driverError: unknown = error.driverError;
  return (
    typeof driverError === 'object' &&
    driverError !== null &&
    'code' in driverError &&
    driverError.code === UNIQUE_VIOLATION
  );
}
