import { Module } from '@nestjs/common';
import { SessionValidationCache } from './cache/session-validation.cache';
import { Clock } from './clock/clock';
import { SessionValidator } from './core/session.validator';
import { SessionWriter } from './core/session.writer';
import { SessionEventPublisher } from './events/session-event.publisher';
import { FreshSessionGuard } from './guards/fresh-session.guard';
import { SessionGuard } from './guards/session.guard';
import { SessionInvalidationChannel } from './invalidation/session-invalidation.channel';
import { SessionInvalidationHub } from './invalidation/session-invalidation.hub';
import { SessionMetrics } from './metrics/session.metrics';
import { SessionAuthenticator } from './pipeline/session.authenticator';
import { DpopBinding } from './security/dpop/dpop.binding';
import { DeviceBoundSessions } from './security/dbsc/device-bound-sessions';
import { SessionPolicy } from './policy/session.policy';
import { SessionAnomalyDetector } from './security/session-anomaly.detector';
import { SESSION_RESOLVED_OPTIONS } from './session.constants';
import { ConfigurableSessionModule } from './session.module-definition';
import {
  clockProvider,
  invalidationChannelProvider,
  policyProvider,
  resolvedOptionsProvider,
  storeProvider,
} from './session.providers';
import { SessionService } from './session.service';
import { SessionCleanup } from './store/session.cleanup';
import { SessionStore } from './store/session.store';
import { SessionCookie } from './transport/session.cookie';
import { SessionSockets } from './websocket/session-sockets';

/**
 * Server-side sessions for Nest.
 *
 * @publicApi
 * @example
 * SessionModule.forRoot({ idleTimeout: 900, isGlobal: true })
 * SessionModule.forRootAsync({ inject: [ConfigService], useFactory: (c: ConfigService) => ({ … }) })
 */
@Module({
  providers: [
    resolvedOptionsProvider,
    clockProvider,
    policyProvider,
    storeProvider,
    invalidationChannelProvider,
    SessionEventPublisher,
    SessionAnomalyDetector,
    SessionWriter,
    SessionValidator,
    SessionService,
    SessionCookie,
    SessionAuthenticator,
    DpopBinding,
    DeviceBoundSessions,
    SessionGuard,
    FreshSessionGuard,
    SessionCleanup,
    SessionMetrics,
    SessionInvalidationHub,
    SessionValidationCache,
    SessionSockets,
  ],
  exports: [
    SESSION_RESOLVED_OPTIONS,
    Clock,
    SessionPolicy,
    SessionStore,
    SessionInvalidationChannel,
    SessionInvalidationHub,
    SessionService,
    SessionCookie,
    SessionAuthenticator,
    DeviceBoundSessions,
    SessionGuard,
    FreshSessionGuard,
    SessionCleanup,
    SessionMetrics,
    SessionSockets,
  ],
})
export class SessionModule extends ConfigurableSessionModule {}
