/**
 * `@nest-session/core/store`: what writing a store (or an invalidation channel) takes. Prove a
 * store with `describeSessionStore` from `@nest-session/core/testing`.
 */
export { SessionStore } from './session.store';
export { InMemorySessionStore } from './memory/in-memory-session.store';
export type {
  SessionRecord,
  RotatedTokenRecord,
  SessionLimitRule,
  CreateSessionParams,
  CreateSessionResult,
  EndSessionParams,
  EndAllForUserParams,
  RotateSessionParams,
  SessionRevokeReason,
  SessionExpiryReason,
  SessionEndReason,
} from './session.record';
export { expiryOf, isLive, pickEvictions, type SessionTimes } from '../policy/session.policy';
export {
  SessionInvalidationChannel,
  LocalInvalidationChannel,
  type SessionInvalidation,
  type SessionInvalidationHandlers,
} from '../invalidation/session-invalidation.channel';
