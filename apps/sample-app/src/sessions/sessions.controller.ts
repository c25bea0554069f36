import { Controller, Delete, Get, HttpCode, Param, Res } from '@nestjs/common';
import { CurrentSession, RequireFreshSession, type Session, SessionCookie } from '@app/session';
import type { Response } from 'express';
import { SessionIdPipe } from './session-id.pipe';
import type { SessionListItemView } from './session.views';
import { UserSessionsService } from './user-sessions.service';
import {
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import { ApiErrors } from '../openapi/api-errors.decorator';
import { ApiCsrf, ApiSession } from '../openapi/api-session.decorator';
import { SessionListItemSchema } from '../openapi/response.schemas';

@ApiTags('session')
@ApiSession()
@Controller('sessions')
export class SessionsController {
  constructor(
    private readonly userSessions: UserSessionsService,
    private readonly cookie: SessionCookie,
  ) {}

  @Get()
  @ApiOperation({ summary: "The caller's active sessions" })
  @ApiOkResponse({ type: [SessionListItemSchema], description: "The caller's active sessions." })
  list(@CurrentSession() session: Session): Promise<SessionListItemView[]> {
    return this.userSessions.list(session);
  }

  /** Ending sessions is sensitive (ASVS 5.0 7.5.2): it needs a recent login. */
  @RequireFreshSession()
  @Delete(':id')
  @ApiOperation({ summary: "End one of the caller's sessions" })
  @HttpCode(204)
  @ApiCsrf()
  @ApiParam({ name: 'id', format: 'uuid', description: 'A session id from GET /sessions.' })
  @ApiNoContentResponse({ description: "That session of the caller's revoked." })
  @ApiErrors(404)
  async revokeOne(
    @CurrentSession() session: Session,
    @Param('id', SessionIdPipe) sessionId: string,
    @Res({ passthrough: true }) response: Response,
  ): Promise<void> {
    await this.userSessions.revokeOwn(session, sessionId);
    // Ending the current session this way is a logout: the browser should drop the cookie too.
    if (sessionId === session.id) this.cookie.clear(response);
  }

  @RequireFreshSession()
  @Delete()
  @ApiOperation({ summary: 'End every session of the caller but this one' })
  @HttpCode(204)
  @ApiCsrf()
  @ApiNoContentResponse({ description: "Every other session of the caller's revoked." })
  async revokeOthers(@CurrentSession() session: Session): Promise<void> {
    await this.userSessions.revokeOthers(session);
  }
}
