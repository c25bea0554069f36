import { Controller, Get, Header } from '@nestjs/common';
import { Public } from '@app/session';
import { DatabaseUnavailableException } from './database-unavailable.exception';
import { DatabaseHealth } from './database.health';
import { RedisUnavailableException } from './redis-unavailable.exception';
import { RedisHealth } from './redis.health';

@Controller('health')
export class HealthController {
  constructor(
    private readonly database: DatabaseHealth,
    private readonly redis: RedisHealth,
  ) {}

  /** 200 only when every backing service answers: the database, and Redis when sessions live there. */
  @Public()
  @Get()
  @Header('Cache-Control', 'no-store')
  async check(): Promise<{ status: 'ok' }> {
    const [databaseUp, redisUp] = await Promise.all([this.database.isUp(), this.redis.isUp()]);
    if (!databaseUp) throw new DatabaseUnavailableException();
    if (!redisUp) throw new RedisUnavailableException();
    return { status: 'ok' };
  }
}
