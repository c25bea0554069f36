import { Controller, Get } from '@nestjs/common';
import { CurrentSession, CurrentUser, type Session } from '@app/session';
import { type SessionDetailView, toSessionDetail } from '../sessions/session.views';
import type { UserView } from '../users/users.service';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiSession } from '../openapi/api-session.decorator';
import { MeSchema } from '../openapi/response.schemas';

@ApiTags('session')
@ApiSession()
@Controller('me')
export class MeController {
  @Get()
  @ApiOperation({ summary: 'The signed-in user and session' })
  @ApiOkResponse({ type: MeSchema, description: 'The caller and their current session.' })
  me(
    @CurrentSession() session: Session,
    // resolveUser found it (a session whose user is gone was refused with 401 before this).
    @CurrentUser() user: UserView,
  ): { user: UserView; session: SessionDetailView } {
    return { user, session: toSessionDetail(session) };
  }
}
