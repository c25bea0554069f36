import { Controller, Get, Header } from '@nestjs/common';
import { Public } from '@app/session';
import { DatabaseUnavailableException } from './database-unavailable.exception';
import { DatabaseHealth } from './database.health';

@Controller('health')
export class HealthController {
  constructor(private readonly database: DatabaseHealth) {}

  @Public()
  @Get()
  @Header('Cache-Control', 'no-store')
  async check(): Promise<{ status: 'ok' }> {
    if (!(await this.database.isUp())) throw new DatabaseUnavailableException();
    return { status: 'ok' };
  }
}
