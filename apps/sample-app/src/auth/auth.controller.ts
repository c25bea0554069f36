import { Body, Controller, Get, Header, HttpCode, Post, Req, Res, UseGuards } from '@nestjs/common';
import {
  CurrentSession,
  Public,
  RequireFreshSession,
  type Session,
  SessionAuthenticator,
  SessionCookie,
} from '@app/session';
import { DeviceBoundSessions } from '@app/session/device-bound';
import type { Request, Response } from 'express';
import { clientOf } from '../common/client-of';
import { type SessionSummaryView, toSessionSummary } from '../sessions/session.views';
import type { UserView } from '../users/users.service';
import { AuthService } from './auth.service';
import { AuthenticatedUser } from './authenticated-user.decorator';
import { ChangePasswordDto } from './dto/change-password.dto';
import { PasswordConfirmationDto } from './dto/password-confirmation.dto';
import { RegisterDto } from './dto/register.dto';
import { LocalAuthGuard } from './local-auth.guard';
import {
  type CookieRotationResponse,
  rotationResponse,
  type TokenRotationResponse,
  tokenTypeOf,
  type TokenType,
} from './rotation-response';
import {
  ApiBody,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { ApiErrors, ApiJsonBody } from '../openapi/api-errors.decorator';
import { ApiRotationResponse } from '../openapi/api-rotation.decorator';
import {
  CLEARED_COOKIE_HEADER,
  NO_STORE_HEADER,
  SESSION_COOKIE_HEADER,
} from '../openapi/response-headers';
import { ApiCsrf, ApiSession } from '../openapi/api-session.decorator';
import {
  CookieLoginSchema,
  CsrfTokenSchema,
  TokenLoginSchema,
  UserSchema,
} from '../openapi/response.schemas';
import { LoginDto } from './dto/login.dto';

interface CookieLoginResponse {
  user: UserView;
  session: SessionSummaryView;
  csrfToken: string;
}

interface TokenResponse {
  token: string;
  token_type: TokenType;
  session: SessionSummaryView;
}

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly cookie: SessionCookie,
    private readonly authenticator: SessionAuthenticator,
    private readonly deviceBound: DeviceBoundSessions,
  ) {}

  @Public()
  @Post('register')
  @ApiOperation({ summary: 'Create an account' })
  @ApiCreatedResponse({ type: UserSchema, description: 'The new account.' })
  @ApiJsonBody()
  @ApiErrors(409, 429, 503)
  register(@Body() dto: RegisterDto, @Req() request: Request): Promise<UserView> {
    return this.auth.register(dto, clientOf(request));
  }

  /** Cookie login for browsers. LocalAuthGuard validates the body and the credentials. */
  @Public()
  @UseGuards(LocalAuthGuard)
  @Post('login')
  @ApiOperation({ summary: 'Sign in with a cookie session (browsers)' })
  @HttpCode(200)
  @ApiBody({ type: LoginDto })
  @ApiOkResponse({
    type: CookieLoginSchema,
    description: 'Signed in: the session cookie in Set-Cookie, the CSRF token in the body.',
    headers: { 'Set-Cookie': SESSION_COOKIE_HEADER, 'Cache-Control': NO_STORE_HEADER },
  })
  @ApiJsonBody()
  @ApiErrors(401, 409, 429, 503)
  async login(
    @AuthenticatedUser() user: UserView,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<CookieLoginResponse> {
    const { session, token } = await this.auth.startSession(user, request, clientOf(request));
    this.cookie.write(response, token, session);
    // With SESSION_DBSC=true, a browser that supports it binds this session to a key it keeps.
    this.deviceBound.offerRegistration(response, session);
    return { user, session: toSessionSummary(session), csrfToken: session.csrfToken };
  }

  /** Bearer login for API clients: the token goes in the body, no cookie is set. */
  @Public()
  @UseGuards(LocalAuthGuard)
  @Post('token')
  @ApiOperation({ summary: 'Sign in with a bearer token (API clients)' })
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  @ApiBody({ type: LoginDto })
  @ApiOkResponse({
    type: TokenLoginSchema,
    description: 'Signed in: a bearer token, no cookie.',
    headers: { 'Cache-Control': NO_STORE_HEADER },
  })
  @ApiJsonBody()
  @ApiErrors(401, 409, 429, 503)
  async token(
    @AuthenticatedUser() user: UserView,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<TokenResponse> {
    // Before the session exists: an invalid or replayed proof creates nothing.
    const boundKey = await this.authenticator.dpopKeyOf(request, response);
    const { session, token } = await this.auth.startSession(user, request, clientOf(request), {
      boundKey,
    });
    return { token, token_type: tokenTypeOf(session), session: toSessionSummary(session) };
  }

  @Post('logout')
  @ApiOperation({ summary: 'Sign out: end this session and clear its cookie' })
  @HttpCode(204)
  @ApiSession()
  @ApiCsrf()
  @ApiNoContentResponse({
    description: 'The session revoked and the cookie cleared.',
    headers: { 'Set-Cookie': CLEARED_COOKIE_HEADER },
  })
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
  @ApiOperation({ summary: 'Change the password: ends every other session, rotates this one' })
  @HttpCode(200)
  @ApiErrors(429)
  @ApiSession()
  @ApiCsrf()
  @ApiRotationResponse()
  @ApiJsonBody()
  async changePassword(
    @CurrentSession() session: Session,
    @Body() dto: ChangePasswordDto,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<CookieRotationResponse | TokenRotationResponse> {
    const issued = await this.auth.changePassword(session, dto, clientOf(request));
    return rotationResponse(this.authenticator, request, response, issued);
  }

  /** Re-authentication: the password again makes the session fresh, under a new token. */
  @Post('reauth')
  @ApiOperation({ summary: 'Re-authenticate with the password: rotates the session' })
  @HttpCode(200)
  @ApiErrors(429)
  @ApiSession()
  @ApiCsrf()
  @ApiRotationResponse()
  @ApiJsonBody()
  async reauthenticate(
    @CurrentSession() session: Session,
    @Body() dto: PasswordConfirmationDto,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<CookieRotationResponse | TokenRotationResponse> {
    const issued = await this.auth.reauthenticate(session, dto.password, clientOf(request));
    return rotationResponse(this.authenticator, request, response, issued);
  }

  @Get('csrf')
  @ApiOperation({ summary: 'The CSRF token of the cookie session' })
  @Header('Cache-Control', 'no-store')
  @ApiSession()
  @ApiOkResponse({ type: CsrfTokenSchema, description: 'The CSRF token of the cookie session.' })
  csrf(@CurrentSession() session: Session): { csrfToken: string } {
    return { csrfToken: session.csrfToken };
  }
}
