import { Body, Controller, Get, Header, HttpCode, Post, Req, Res, UseGuards } from '@nestjs/common';
import {
  CurrentSession,
  getSessionContext,
  Public,
  type Session,
  SessionCookie,
  sessionAuthMethod,
} from '@app/session';
import type { Request, Response } from 'express';
import { type SessionSummaryView, toSessionSummary } from '../sessions/session.views';
import type { UserView } from '../users/users.service';
import { AuthService } from './auth.service';
import { AuthenticatedUser } from './authenticated-user.decorator';
import { ChangePasswordDto } from './dto/change-password.dto';
import { RegisterDto } from './dto/register.dto';
import { LocalAuthGuard } from './local-auth.guard';

interface CookieLoginResponse {
  user: UserView;
  session: SessionSummaryView;
  csrfToken: string;
}

interface TokenResponse {
  token: string;
  session: SessionSummaryView;
}

interface CookieRotationResponse {
  csrfToken: string;
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

  /** Answers the way the caller authenticated: a new cookie, or a new token in the body. */
  @Post('password')
  @HttpCode(200)
  async changePassword(
    @CurrentSession() session: Session,
    @Body() dto: ChangePasswordDto,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<CookieRotationResponse | TokenResponse> {
    const issued = await this.auth.changePassword(session, dto, getSessionContext(request));
    const view = toSessionSummary(issued.session);
    if (sessionAuthMethod(request) === 'cookie') {
      this.cookie.write(response, issued.token, issued.session);
      return { csrfToken: issued.session.csrfToken, session: view };
    }
    response.setHeader('Cache-Control', 'no-store');
    return { token: issued.token, session: view };
  }

  @Get('csrf')
  @Header('Cache-Control', 'no-store')
  csrf(@CurrentSession() session: Session): { csrfToken: string } {
    return { csrfToken: session.csrfToken };
  }
}
