import { Module } from '@nestjs/common';
import { SessionMetrics } from '@app/session';
import { DataSource } from 'typeorm';
import { ConfigService } from '@nestjs/config';
import { type AppConfigService, appConfigFrom } from '../config/app-config.module';
import { countActiveSessions } from './active-sessions';
import { MetricsController } from './metrics.controller';
import { PROMETHEUS_REGISTRY } from './metrics.constants';
import { createPrometheusRegistry } from './prometheus-registry';

/** Prometheus metrics at /metrics: process metrics and the session module's counters. */
@Module({
  controllers: [MetricsController],
  providers: [
    {
      provide: PROMETHEUS_REGISTRY,
      inject: [SessionMetrics, DataSource, ConfigService],
      useFactory: (metrics: SessionMetrics, dataSource: DataSource, config: AppConfigService) =>
        createPrometheusRegistry(
          metrics,
          // Sessions in Redis expire by key TTL: counting them would mean a SCAN per scrape.
          appConfigFrom(config).sessionStore.kind === 'postgres'
            ? () => countActiveSessions(dataSource)
            : undefined,
        ),
    },
  ],
})
export class MetricsModule {}
