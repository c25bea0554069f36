import { Body, Controller, Delete, HttpCode, Req, Res } from '@nestjs/common';
import { CurrentSession, RequireFreshSession, type Session, SessionCookie } from '@app/session';
import type { Request, Response } from 'express';
import { clientOf } from '../common/client-of';
import { PasswordConfirmationDto } from '../auth/dto/password-confirmation.dto';
import { AccountService } from './account.service';
import { ApiNoContentResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors, ApiJsonBody } from '../openapi/api-errors.decorator';
import { ApiCsrf, ApiSession } from '../openapi/api-session.decorator';

@ApiTags('account')
@Controller('account')
export class AccountController {
  constructor(
    private readonly account: AccountService,
    private readonly cookie: SessionCookie,
  ) {}

  /** Irreversible, so it takes both a recent login and the password. */
  @RequireFreshSession()
  @Delete()
  @ApiOperation({ summary: 'Delete the account and end all its sessions' })
  @HttpCode(204)
  @ApiSession()
  @ApiCsrf()
  @ApiNoContentResponse({
    description: 'The account and all its sessions deleted; cookie cleared.',
  })
  @ApiJsonBody()
  @ApiErrors(429)
  async delete(
    @CurrentSession() session: Session,
    @Body() dto: PasswordConfirmationDto,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<void> {
    await this.account.delete(session, dto.password, clientOf(request));
    this.cookie.clear(response);
  }
}
