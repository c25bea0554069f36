import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { getSessionContext } from '@app/session';
import type { Request } from 'express';
import { Strategy } from 'passport-local';
import type { UserView } from '../users/users.service';
import { PasswordChecks } from './password-checks.service';

/**
 * passport-local over the users table, through the throttled password check; a null result makes
 * passport fail the request (401), a throttled one answers 429.
 */
@Injectable()
export class LocalStrategy extends PassportStrategy(Strategy) {
  constructor(private readonly checks: PasswordChecks) {
    super({
      usernameField: 'email',
      passwordField: 'password',
      session: false,
      passReqToCallback: true,
    });
  }

  validate(request: Request, email: string, password: string): Promise<UserView | null> {
    const { ip, userAgent } = getSessionContext(request);
    return this.checks.signIn(email, password, { ip: ip ?? null, userAgent: userAgent ?? null });
  }
}
