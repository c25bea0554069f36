import { Controller, Get, Module, Post, Req } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { TypeOrmModule } from '@nestjs/typeorm';
import {
  CurrentSession,
  getSessionContext,
  Public,
  type Session,
  SessionGuard,
  SessionModule,
  SessionService,
  sessionEntities,
  sessionMigrations,
} from '@nest-session/core';
import type { Request } from 'express';

@Controller()
class DemoController {
  constructor(private readonly sessions: SessionService) {}

  @Public()
  @Post('login')
  async login(@Req() request: Request): Promise<{ token: string }> {
    const { token } = await this.sessions.create('user-1', getSessionContext(request));
    return { token };
  }

  @Get('me')
  me(@CurrentSession() session: Session): { userId: string } {
    return { userId: session.userId };
  }
}

const schema = process.env.DATABASE_SCHEMA ?? 'public';

/** A brand-new app that knows the module only as an installed npm package. */
@Module({
  imports: [
    TypeOrmModule.forRoot({
      type: 'postgres',
      url: process.env.DATABASE_URL,
      schema,
      entities: sessionEntities,
      migrations: sessionMigrations,
      migrationsRun: true,
      uuidExtension: 'pgcrypto',
      installExtensions: false,
      extra: { options: `-c search_path=${schema}` },
    }),
    EventEmitterModule.forRoot(),
    SessionModule.forRoot({ isGlobal: true }),
  ],
  controllers: [DemoController],
  providers: [{ provide: APP_GUARD, useClass: SessionGuard }],
})
export class AppModule {}
