import { Body, Controller, Get, Header, HttpCode, Post, Req, Res, UseGuards } from '@nestjs/common';
import {
  CurrentSession,
  getSessionContext,
  Public,
  RequireFreshSession,
  type Session,
  SessionCookie,
} from '@app/session';
import type { Request, Response } from 'express';
import { type SessionSummaryView, toSessionSummary } from '../sessions/session.views';
import type { UserView } from '../users/users.service';
import { AuthService } from './auth.service';
import { AuthenticatedUser } from './authenticated-user.decorator';
import { ChangePasswordDto } from './dto/change-password.dto';
import { PasswordConfirmationDto } from './dto/password-confirmation.dto';
import { RegisterDto } from './dto/register.dto';
import { LocalAuthGuard } from './local-auth.guard';
import {
  answerRotation,
  type CookieRotationResponse,
  type TokenRotationResponse,
} from './rotation-response';

interface CookieLoginResponse {
  user: UserView;
  session: SessionSummaryView;
  csrfToken: string;
}

interface TokenResponse {
  token: string;
  session: SessionSummaryView;
}

@Controller('auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly cookie: SessionCookie,
  ) {}

  @Public()
  @Post('register')
  register(@Body() dto: RegisterDto): Promise<UserView> {
    return this.auth.register(dto);
  }

  /** Cookie login for browsers. LocalAuthGuard validates the body and the credentials. */
  @Public()
  @UseGuards(LocalAuthGuard)
  @Post('login')
  @HttpCode(200)
  async login(
    @AuthenticatedUser() user: UserView,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<CookieLoginResponse> {
    const { session, token } = await this.auth.startSession(user, getSessionContext(request));
    this.cookie.write(response, token, session);
    return { user, session: toSessionSummary(session), csrfToken: session.csrfToken };
  }

  /** Bearer login for API clients: the token goes in the body, no cookie is set. */
  @Public()
  @UseGuards(LocalAuthGuard)
  @Post('token')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  async token(
    @AuthenticatedUser() user: UserView,
    @Req() request: Request,
  ): Promise<TokenResponse> {
    const { session, token } = await this.auth.startSession(user, getSessionContext(request));
    return { token, session: toSessionSummary(session) };
  }

  @Post('logout')
  @HttpCode(204)
  async logout(
    @CurrentSession() session: Session,
    @Res({ passthrough: true }) response: Response,
  ): Promise<void> {
    await this.auth.logout(session);
    this.cookie.clear(response);
  }

  /** Sensitive: needs a recent login (SESSION_REAUTH_SECONDS), else 403 reauth_required. */
  @RequireFreshSession()
  @Post('password')
  @HttpCode(200)
  async changePassword(
    @CurrentSession() session: Session,
    @Body() dto: ChangePasswordDto,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<CookieRotationResponse | TokenRotationResponse> {
    const issued = await this.auth.changePassword(session, dto, getSessionContext(request));
    return answerRotation(this.cookie, request, response, issued);
  }

  /** Re-authentication: the password again makes the session fresh, under a new token. */
  @Post('reauth')
  @HttpCode(200)
  async reauthenticate(
    @CurrentSession() session: Session,
    @Body() dto: PasswordConfirmationDto,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<CookieRotationResponse | TokenRotationResponse> {
    const issued = await this.auth.reauthenticate(
      session,
      dto.password,
      getSessionContext(request),
    );
    return answerRotation(this.cookie, request, response, issued);
  }

  @Get('csrf')
  @Header('Cache-Control', 'no-store')
  csrf(@CurrentSession() session: Session): { csrfToken: string } {
    return { csrfToken: session.csrfToken };
  }
}
