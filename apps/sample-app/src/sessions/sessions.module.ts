import { Module } from '@nestjs/common';
import { SessionsController } from './sessions.controller';
import { UserSessionsService } from './user-sessions.service';

@Module({
  controllers: [SessionsController],
  providers: [UserSessionsService],
  exports: [UserSessionsService],
})
export class SessionsModule {}
