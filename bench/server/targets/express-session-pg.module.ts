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
import connectPgSimple from 'connect-pg-simple';
import type { Request, RequestHandler } from 'express';
import session from 'express-session';
import type { Pool } from 'pg';
import { EXPRESS_SESSION_COOKIE } from '../../shared/bench-targets';
import { BENCH_CONFIG, type ServerConfig } from '../server-config';
import { benchPgPool } from './bench-pg-pool';

declare module 'express-session' {
  interface SessionData {
    userId: string;
  }
}

/** Idle timeout, as the library's default (30 min), so both renew the same window. */
export const EXPRESS_SESSION_MAX_AGE_MS = 1_800_000;

/**
 * What a NestJS team typically sets up today (the Nest docs' "Session" recipe): express-session
 * with connect-pg-simple, rolling idle expiry, no resave, no empty sessions.
 */
@Injectable()
export class ExpressSessionPg implements OnApplicationShutdown {
  readonly middleware: RequestHandler;
  private readonly pool: Pool;

  constructor(@Inject(BENCH_CONFIG) config: ServerConfig) {
    this.pool = benchPgPool(config);
    const PgStore = connectPgSimple(session);
    this.middleware = session({
      name: EXPRESS_SESSION_COOKIE,
      secret: config.expressSecret,
      store: new PgStore({
        pool: this.pool,
        schemaName: config.schema,
        tableName: 'session',
        // The benchmark measures requests, not the store's background cleanup.
        pruneSessionInterval: false,
      }),
      rolling: true,
      resave: false,
      saveUninitialized: false,
      cookie: {
        maxAge: EXPRESS_SESSION_MAX_AGE_MS,
        httpOnly: true,
        sameSite: 'lax',
        secure: false,
      },
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.pool.end();
  }
}

@Controller()
class ExpressSessionMeController {
  @Get('me')
  me(@Req() request: Request): { userId: string; expiresAt: Date | null | undefined } {
    const userId = request.session.userId;
    if (!userId) throw new UnauthorizedException();
    return { userId, expiresAt: request.session.cookie.expires };
  }
}

@Module({})
export class ExpressSessionPgModule {
  static register(config: ServerConfig): DynamicModule {
    return {
      module: ExpressSessionPgModule,
      controllers: [ExpressSessionMeController],
      providers: [{ provide: BENCH_CONFIG, useValue: config }, ExpressSessionPg],
      exports: [ExpressSessionPg],
    };
  }
}
