/**
 * `@nest-session/core`: what an app developer uses. Integrations live in their own entries,
 * each with its own optional peers: `/typeorm` (the PostgreSQL store, entities, migrations),
 * `/redis`, `/passport`, `/store` (for writing a store) and `/testing`.
 */

// The module and its services
export { SessionModule } from './session.module';
export { SessionService } from './session.service';
export { SessionAuthenticator } from './pipeline/session.authenticator';
export { SessionCookie } from './transport/session.cookie';
export { SessionCleanup } from './store/session.cleanup';
export { SessionMetrics } from './metrics/session.metrics';
export { SessionStore } from './store/session.store';
export { Clock } from './clock/clock';

// Guards and decorators
export { SessionGuard } from './guards/session.guard';
export { FreshSessionGuard } from './guards/fresh-session.guard';
export { Public } from './decorators/public.decorator';
export { RequireFreshSession } from './decorators/require-fresh-session.decorator';
export { CurrentSession } from './decorators/current-session.decorator';
export { CurrentUserId } from './decorators/current-user-id.decorator';
export { CurrentUser } from './decorators/current-user.decorator';
export {
  getSessionContext,
  getRequestSession,
  sessionAuthMethod,
} from './pipeline/session-request';

// Options
export { SESSION_MODULE_OPTIONS } from './session.module-definition';
export { SESSION_RESOLVED_OPTIONS } from './session.constants';
export type { SessionModuleOptions } from './options/session-module-options.interface';
export type { SessionOptionsFactory } from './options/session-options-factory.interface';
export type { ResolvedSessionOptions } from './options/resolved-session-options.interface';
export { SessionOptionsError } from './errors/session-options.error';

// Sessions
export type { Session, SessionContext, IssuedSession } from './session.interface';

// Events
export { SessionEvents } from './events/session-event.names';
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

// Errors
export { SessionErrorCodes } from './errors/session-error.codes';
export {
  SessionHttpException,
  SessionUnauthorizedException,
  CsrfFailedException,
  ReauthRequiredException,
  SessionLimitReachedException,
  SessionStoreUnavailableException,
  DpopProofException,
} from './errors/session.exceptions';
