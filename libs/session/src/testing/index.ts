/**
 * `@nest-session/core/testing`: helpers for your own tests. The conformance suites use Jest's
 * globals (`describe`, `it`, `expect`); call them inside a Jest test file.
 */
export { FixedClock } from './fixed-clock';
export {
  createSessionTestingModule,
  flushEvents,
  CLIENT,
  T0,
  type SessionTestingModule,
  type SessionTestingModuleExtras,
  type CollectedEvent,
} from './session-testing.module';
export { signInAs, type TestSignIn } from './sign-in';
export { describeSessionStore, type StoreHarness } from './session-store.conformance';
export {
  describeInvalidationChannel,
  type InvalidationChannelHarness,
} from './invalidation-channel.conformance';
export { makeSessionRecord } from './session-record.factory';
