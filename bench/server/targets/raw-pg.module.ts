import { createHash } from 'node:crypto';
import {
  Controller,
  Get,
  Inject,
  Injectable,
  Module,
  type DynamicModule,
  type OnApplicationShutdown,
  Req,
  UnauthorizedException,
} from '@nestjs/common';
import type { Request } from 'express';
import type { Pool } from 'pg';
import { BENCH_CONFIG, type ServerConfig } from '../server-config';
import { benchPgPool } from './bench-pg-pool';
import { readToken } from './read-token';

interface RawSessionRow {
  user_id: string;
  idle_expires_at: Date;
  absolute_expires_at: Date;
}

@Injectable()
class RawPgPool implements OnApplicationShutdown {
  readonly pool: Pool;

  constructor(@Inject(BENCH_CONFIG) config: ServerConfig) {
    this.pool = benchPgPool(config);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.pool.end();
  }
}

/**
 * The practical limit of a database-backed session check: read the cookie, SHA-256 the token,
 * one indexed SELECT through a pg.Pool, compare two timestamps. Nothing else — no well-formedness
 * check, no renewal, no anomaly checks, no events.
 */
@Controller()
class RawPgController {
  constructor(private readonly raw: RawPgPool) {}

  @Get('me')
  async me(@Req() request: Request): Promise<{ userId: string; expiresAt: Date }> {
    const token = readToken(request.headers.cookie);
    if (!token) throw new UnauthorizedException();
    const hash = createHash('sha256').update(token, 'utf8').digest();
    const { rows } = await this.raw.pool.query<RawSessionRow>(
      'SELECT user_id, idle_expires_at, absolute_expires_at FROM sessions WHERE token_hash = $1',
      [hash],
    );
    const row = rows[0];
    const now = Date.now();
    if (!row || row.idle_expires_at.getTime() <= now || row.absolute_expires_at.getTime() <= now) {
      throw new UnauthorizedException();
    }
    return { userId: row.user_id, expiresAt: row.idle_expires_at };
  }
}

@Module({})
export class RawPgModule {
  static register(config: ServerConfig): DynamicModule {
    return {
      module: RawPgModule,
      controllers: [RawPgController],
      providers: [{ provide: BENCH_CONFIG, useValue: config }, RawPgPool],
    };
  }
}
