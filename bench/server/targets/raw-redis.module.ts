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

/** The fields of a stored session's snapshot that a check reads (epoch-ms as strings). */
interface SnapshotFields {
  userId: string;
  idleExpiresAt: string;
  absoluteExpiresAt: string;
}

/**
 * The practical limit of a Redis-backed session check, as raw-pg is for PostgreSQL: read the
 * cookie, SHA-256 the token, one GET of the key the Redis store keeps that hash's session under
 * (its snapshot; the seeded sessions are the store's own), compare two timestamps, answer the
 * same body as the other targets. Nothing else.
 */
@Controller()
class RawRedisController {
  constructor(private readonly redis: RawRedisClient) {}

  @Get('me')
  async me(@Req() request: Request): Promise<{ userId: string; expiresAt: Date }> {
    const token = readToken(request.headers.cookie);
    if (!token) throw new UnauthorizedException();
    const hash = createHash('sha256').update(token, 'utf8').digest('hex');
    const found = await this.redis.client.get(`${this.redis.prefix}:snap:${hash}`);
    if (!found) throw new UnauthorizedException();
    const session = JSON.parse(found) as SnapshotFields;
    const idleExpiresAt = Number(session.idleExpiresAt);
    const now = Date.now();
    if (idleExpiresAt <= now || Number(session.absoluteExpiresAt) <= now) {
      throw new UnauthorizedException();
    }
    return { userId: session.userId, expiresAt: new Date(idleExpiresAt) };
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
