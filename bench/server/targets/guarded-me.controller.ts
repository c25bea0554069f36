import { Controller, Get } from '@nestjs/common';
import { CurrentSession, type Session } from '@app/session';

/**
 * The sample app's `GET /me` minus its user lookup: raw-pg and express-session-pg read no user
 * either, so all do the same work — authenticate the cookie — and answer the same small body.
 */
@Controller()
export class GuardedMeController {
  @Get('me')
  me(@CurrentSession() session: Session): { userId: string; expiresAt: Date } {
    return { userId: session.userId, expiresAt: session.expiresAt };
  }
}
