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
import { SESSION_COOKIE } from '../../shared/bench-targets';
import { BENCH_CONFIG, type ServerConfig } from '../server-config';
import { benchRedisClient } from './guarded-redis.module';

const COOKIE_PREFIX = `${SESSION_COOKIE}=`;

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

function readToken(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const start = header.indexOf(COOKIE_PREFIX);
  if (start === -1) return undefined;
  const end = header.indexOf(';', start);
  return header.slice(start + COOKIE_PREFIX.length, end === -1 ? undefined : end).trim();
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
