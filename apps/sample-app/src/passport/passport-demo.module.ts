import { Module } from '@nestjs/common';
import { PassportModule } from '@nestjs/passport';
import { SessionStrategy } from '@app/session/passport';
import { PassportMeController } from './passport-me.controller';

/** Shows the library's passport integration on one route. */
@Module({
  imports: [PassportModule],
  controllers: [PassportMeController],
  providers: [SessionStrategy],
})
export class PassportDemoModule {}
