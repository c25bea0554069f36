import { Controller, HttpCode, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public, SessionAuthenticator } from '@app/session';
import { type DbscSessionInstructions, DeviceBoundSessions } from '@app/session/device-bound';
import type { Request, Response } from 'express';

/**
 * The two endpoints of Device Bound Session Credentials (SESSION_DBSC=true). The browser calls
 * them by itself — never a page script — so they are left out of the OpenAPI document, and the
 * registration skips the CSRF check: its proof, signed over a challenge only the sign-in
 * response carried, is what a forged request cannot have.
 */
@ApiExcludeController()
@Controller('auth/dbsc')
export class DbscController {
  constructor(
    private readonly authenticator: SessionAuthenticator,
    private readonly deviceBound: DeviceBoundSessions,
  ) {}

  @Public()
  @Post('register')
  @HttpCode(200)
  async register(
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<DbscSessionInstructions> {
    const { session } = await this.authenticator.authenticate(request, response, { csrf: false });
    return this.deviceBound.register(request, response, session);
  }

  /** Identified by `Sec-Secure-Session-Id`, not by the cookie, which may have expired already. */
  @Public()
  @Post('refresh')
  @HttpCode(200)
  refresh(
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<DbscSessionInstructions> {
    return this.deviceBound.refresh(request, response);
  }
}
