import { Module } from '@nestjs/common';
import { Clock, SessionMetrics, SessionStore } from '@app/session';
import { ConfigService } from '@nestjs/config';
import { type AppConfigService, appConfigFrom } from '../config/app-config.module';
import { activeSessionsCounter } from './active-sessions';
import { MetricsController } from './metrics.controller';
import { httpRequestMetrics } from './http-request.metrics';
import { HTTP_REQUEST_METRICS, PROMETHEUS_REGISTRY } from './metrics.constants';
import { createPrometheusRegistry } from './prometheus-registry';

/** Prometheus metrics at /metrics: process, HTTP and the session module's. */
@Module({
  controllers: [MetricsController],
  providers: [
    {
      provide: PROMETHEUS_REGISTRY,
      inject: [SessionMetrics, SessionStore, Clock, ConfigService],
      useFactory: (
        metrics: SessionMetrics,
        store: SessionStore,
        clock: Clock,
        config: AppConfigService,
      ) =>
        createPrometheusRegistry(
          metrics,
          // Sessions in Redis expire by key TTL: that store does not count them (no gauge then).
          appConfigFrom(config).sessionStore.kind === 'postgres'
            ? activeSessionsCounter(store, clock)
            : undefined,
        ),
    },
    {
      provide: HTTP_REQUEST_METRICS,
      inject: [PROMETHEUS_REGISTRY],
      useFactory: httpRequestMetrics,
    },
  ],
})
export class MetricsModule {}
