import { createReadStream } from 'node:fs';
import { Controller, Get, Header, StreamableFile } from '@nestjs/common';
import { Public } from '@app/session';
import { ApiExcludeController } from '@nestjs/swagger';
import { ACCOUNT_PAGE_FILE, SOCKET_IO_BROWSER_FILE } from './account-page.assets';

/**
 * The account-security page: plain HTML served at `/`, a script that talks to the JSON API with
 * the session cookie. Public: a visitor without a session gets the sign-in form. Files go out as
 * StreamableFile, which both platforms (Express, Fastify) send the same way.
 */
@Public()
@ApiExcludeController()
@Controller()
export class AccountPageController {
  @Get()
  // Always revalidated, so a deploy never leaves a browser on a stale page.
  @Header('Cache-Control', 'no-cache')
  page(): StreamableFile {
    return new StreamableFile(createReadStream(ACCOUNT_PAGE_FILE), {
      type: 'text/html; charset=utf-8',
    });
  }

  @Get('vendor/socket.io.min.js')
  @Header('Cache-Control', 'public, max-age=86400')
  socketIo(): StreamableFile {
    return new StreamableFile(createReadStream(SOCKET_IO_BROWSER_FILE), {
      type: 'text/javascript; charset=utf-8',
    });
  }
}
