import { Module } from '@nestjs/common';
import { SessionEventPublisher } from './events/session-event.publisher';
import { SessionGuard } from './guards/session.guard';
import { FreshSessionGuard } from './guards/fresh-session.guard';
import { SessionAnomalyDetector } from './security/session-anomaly.detector';
import { ConfigurableSessionModule } from './session.module-definition';
import { clockProvider, resolvedOptionsProvider, storeProvider } from './session.providers';
import { SessionService } from './session.service';
import { SessionValidator } from './core/session.validator';
import { SessionWriter } from './core/session.writer';
import { SessionCookie } from './transport/session.cookie';
import { SESSION_RESOLVED_OPTIONS } from './session.constants';
import { Clock } from './clock/clock';
import { SessionStore } from './store/session.store';
import { SessionCleanup } from './store/session.cleanup';
import { SessionMetrics } from './metrics/session.metrics';
import { SessionValidationCache } from './cache/session-validation.cache';

/**
 * Server-side sessions for Nest.
 *
 * @example
 * SessionModule.forRoot({ idleTimeout: 900, isGlobal: true })
 * SessionModule.forRootAsync({ inject: [ConfigService], useFactory: (c: ConfigService) => ({ … }) })
 */
@Module({
  providers: [
    resolvedOptionsProvider,
    clockProvider,
    storeProvider,
    SessionEventPublisher,
    SessionAnomalyDetector,
    SessionWriter,
    SessionValidator,
    SessionService,
    SessionCookie,
    SessionGuard,
    FreshSessionGuard,
    SessionCleanup,
    SessionMetrics,
    SessionValidationCache,
  ],
  exports: [
    SESSION_RESOLVED_OPTIONS,
    Clock,
    SessionStore,
    SessionService,
    SessionCookie,
    SessionGuard,
    FreshSessionGuard,
    SessionCleanup,
    SessionMetrics,
  ],
})
export class SessionModule extends ConfigurableSessionModule {}
