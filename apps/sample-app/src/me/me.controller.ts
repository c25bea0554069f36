import { Controller, Get } from '@nestjs/common';
import { CurrentSession, type Session } from '@app/session';
import { SessionEndedException } from '../common/unauthorized.exception';
import { type SessionDetailView, toSessionDetail } from '../sessions/session.views';
import { UsersService, type UserView } from '../users/users.service';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ApiSession } from '../openapi/api-session.decorator';
import { MeSchema } from '../openapi/response.schemas';

@ApiTags('session')
@ApiSession()
@Controller('me')
export class MeController {
  constructor(private readonly users: UsersService) {}

  @Get()
  @ApiOkResponse({ type: MeSchema, description: 'The caller and their current session.' })
  async me(
    @CurrentSession() session: Session,
  ): Promise<{ user: UserView; session: SessionDetailView }> {
    const user = await this.users.findById(session.userId);
    // A live session whose user is gone (deleted meanwhile) authenticates nobody.
    if (user === null) throw new SessionEndedException();
    return { user, session: toSessionDetail(session) };
  }
}
