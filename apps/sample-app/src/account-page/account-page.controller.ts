import { Controller, Get, Res } from '@nestjs/common';
import { Public } from '@app/session';
import type { Response } from 'express';
import { ACCOUNT_PAGE_FILE, UA_PARSER_BROWSER_FILE } from './account-page.assets';
import { ApiExcludeController } from '@nestjs/swagger';

/**
 * The account-security page: plain HTML served at `/`, a script that talks to the JSON API with
 * the session cookie. Public: a visitor without a session gets the sign-in form.
 */
@Public()
@ApiExcludeController()
@Controller()
export class AccountPageController {
  @Get()
  page(@Res() response: Response): void {
    // Always revalidated, so a deploy never leaves a browser on a stale page.
    response.setHeader('Cache-Control', 'no-cache');
    response.sendFile(ACCOUNT_PAGE_FILE);
  }

  @Get('vendor/ua-parser.min.js')
  uaParser(@Res() response: Response): void {
    response.setHeader('Cache-Control', 'public, max-age=86400');
    response.type('text/javascript').sendFile(UA_PARSER_BROWSER_FILE);
  }
}
