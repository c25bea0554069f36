export { SessionModule } from './session.module';
export { SessionService, type SessionFailure, type SessionValidation } from './session.service';
export { SessionGuard } from './guards/session.guard';
export { SessionStrategy } from './passport/session.strategy';
export { SessionCookie } from './transport/session.cookie';
export { Public } from './decorators/public.decorator';
export { RequireFreshSession } from './decorators/require-fresh-session.decorator';
export { FreshSessionGuard } from './guards/fresh-session.guard';
export { CurrentSession } from './decorators/current-session.decorator';
export { CurrentUserId } from './decorators/current-user-id.decorator';
export { getSessionContext, getRequestSession, sessionAuthMethod } from './pipeline/session-request';
export type { Session, SessionContext, IssuedSession } from './session.interface';
export type {
  SessionModuleOptions,
  SessionCookieOptions,
  SessionCsrfOptions,
  SessionLimit,
  SessionLimitStrategy,
  SessionTransport,
  SessionReplayPolicy,
  SessionAnomalyKind,
  SessionAnomalyAction,
  SessionAnomalyOptions,
  SessionCacheOptions,
} from './options/session-module-options.interface';
export { SessionOptionsError } from './errors/session-options.error';
export {
  SessionHttpException,
  SessionUnauthorizedException,
  CsrfFailedException,
  ReauthRequiredException,
  SessionLimitReachedException,
  SessionStoreUnavailableException,
} from './errors/session.exceptions';
export { SessionErrorCodes, type SessionErrorCode } from './errors/session-error.codes';
export { Clock, SystemClock } from './clock/clock';
export {
  SessionEvents,
  SESSION_EVENT_NAMES,
  type SessionEventName,
} from './events/session-event.names';
export {
  SessionEvent,
  SessionCreatedEvent,
  SessionRenewedEvent,
  SessionRotatedEvent,
  SessionRevokedEvent,
  SessionExpiredEvent,
  SessionLimitReachedEvent,
  SessionReplayDetectedEvent,
  SessionAnomalyEvent,
} from './events/session-event.payloads';
export {
  SessionMetrics,
  VALIDATION_BUCKETS_SECONDS,
  type SessionMetricsSnapshot,
  type SessionValidationResult,
} from './metrics/session.metrics';
export { SessionStore } from './store/session.store';
export {
  SessionInvalidationChannel,
  LocalInvalidationChannel,
  type SessionInvalidation,
  type SessionInvalidationHandlers,
} from './invalidation/session-invalidation.channel';
export { SessionCleanup } from './store/session.cleanup';
export type {
  SessionRecord,
  RotatedTokenRecord,
  SessionLimitRule,
  CreateSessionParams,
  CreateSessionResult,
  EndSessionParams,
  RotateSessionParams,
  SessionRevokeReason,
  SessionExpiryReason,
  SessionEndReason,
} from './store/session.record';
export { InMemorySessionStore } from './store/memory/in-memory-session.store';
export { TypeOrmSessionStore } from './store/postgres/postgres-session.store';
export {
  RedisSessionStore,
  type RedisSessionStoreOptions,
} from './store/redis/redis-session.store';
export { SessionEntity } from './store/postgres/session.entity';
export { SessionRotatedTokenEntity } from './store/postgres/session-rotated-token.entity';
export { CreateSessionTables1764100000000 } from './store/postgres/migrations/1764100000000-create-session-tables';
export { sessionEntities, sessionMigrations } from './store/postgres/session-typeorm.lists';
