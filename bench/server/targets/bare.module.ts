import { Controller, Get, Module } from '@nestjs/common';

@Controller()
class BareController {
  /** The framework's ceiling: routing, one handler, a small JSON body. No session, no database. */
  @Get('bare')
  bare(): { ok: true } {
    return { ok: true };
  }
}

@Module({ controllers: [BareController] })
export class BareModule {}
