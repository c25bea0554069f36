import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { HealthController } from './health.controller';
import { InvalidationChannelHealthIndicator } from './invalidation.health';
import { RedisHealthIndicator } from './redis.health';

@Module({
  // terminus' own error log is off: a failed probe is logged once, as a warning, by the controller.
  imports: [TerminusModule.forRoot({ logger: false })],
  controllers: [HealthController],
  providers: [RedisHealthIndicator, InvalidationChannelHealthIndicator],
})
export class HealthModule {}
