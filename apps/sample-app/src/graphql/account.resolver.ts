import { Args, ID, Int, Mutation, Query, Resolver } from '@nestjs/graphql';
import {
  CurrentSession,
  CurrentUser,
  CurrentUserId,
  RequireFreshSession,
  type Session,
} from '@app/session';
import { AuditService } from '../audit/audit.service';
import { SessionIdPipe } from '../sessions/session-id.pipe';
import { toSessionDetail } from '../sessions/session.views';
import { UserSessionsService } from '../sessions/user-sessions.service';
import type { UserView } from '../users/users.service';
import { AuditEventType, MeType, SessionListItemType } from './account.types';

/**
 * `POST /graphql`: the REST routes /me, GET /sessions, DELETE /sessions[/:id] and GET /audit as GraphQL,
 * through the same global SessionGuard (cookie with X-CSRF-Token, or bearer), the same freshness
 * rule and the same service, so both APIs accept and refuse the same requests.
 */
@Resolver()
export class AccountResolver {
  constructor(
    private readonly userSessions: UserSessionsService,
    private readonly audit: AuditService,
  ) {}

  @Query(() => MeType, { description: 'The caller and their current session.' })
  me(@CurrentSession() session: Session, @CurrentUser() user: UserView): MeType {
    return { user, session: toSessionDetail(session) };
  }

  @Query(() => [SessionListItemType], { description: "The caller's active sessions." })
  sessions(@CurrentSession() session: Session): Promise<SessionListItemType[]> {
    return this.userSessions.listWithHints(session);
  }

  @Query(() => [AuditEventType], {
    description: "The caller's recent session events, newest first.",
  })
  auditEvents(@CurrentUserId() userId: string): Promise<AuditEventType[]> {
    return this.audit.listForUser(userId);
  }

  /** Ends one of the caller's sessions; NOT_FOUND for any other id (as REST's 404). */
  @RequireFreshSession()
  @Mutation(() => Boolean)
  async revokeSession(
    @CurrentSession() session: Session,
    @Args('id', { type: () => ID }, SessionIdPipe) sessionId: string,
  ): Promise<boolean> {
    await this.userSessions.revokeOwn(session, sessionId);
    return true;
  }

  /** Ends every other session of the caller; answers how many ended. */
  @RequireFreshSession()
  @Mutation(() => Int)
  revokeOtherSessions(@CurrentSession() session: Session): Promise<number> {
    return this.userSessions.revokeOthers(session);
  }
}
