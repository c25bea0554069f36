import { createHash } from 'node:crypto';
import {
  Controller,
  type DynamicModule,
  Get,
  Inject,
  Injectable,
  Module,
  type OnApplicationShutdown,
  Req,
  UnauthorizedException,
} from '@nestjs/common';
import type { Request } from 'express';
import type { Redis } from 'ioredis';
import { BENCH_CONFIG, type ServerConfig } from '../server-config';
import { readToken } from './read-token';
import { benchRedisClient } from './guarded-redis.module';

@Injectable()
class RawRedisClient implements OnApplicationShutdown {
  readonly client: Redis;
  readonly prefix: string;

  constructor(@Inject(BENCH_CONFIG) config: ServerConfig) {
    this.client = benchRedisClient(config.redisUrl);
    this.prefix = config.redisPrefix;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.client.quit();
  }
}

/**
 * The practical limit of a Redis-backed check: SHA-256 of the cookie token and one GET of the
 * key the Redis store files that hash under (the seeded sessions are the store's own).
 */
@Controller()
class RawRedisController {
  constructor(private readonly redis: RawRedisClient) {}

  @Get('me')
  async me(@Req() request: Request): Promise<{ session: string }> {
    const token = readToken(request.headers.cookie);
    if (!token) throw new UnauthorizedException();
    const hash = createHash('sha256').update(token, 'utf8').digest('hex');
    const found = await this.redis.client.get(`${this.redis.prefix}:hash:${hash}`);
    if (!found) throw new UnauthorizedException();
    return { session: found };
  }
}

@Module({})
export class RawRedisModule {
  static register(config: ServerConfig): DynamicModule {
    return {
      module: RawRedisModule,
      controllers: [RawRedisController],
      providers: [{ provide: BENCH_CONFIG, useValue: config }, RawRedisClient],
    };
  }
}
