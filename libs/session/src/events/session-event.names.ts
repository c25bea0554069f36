/**
 * The event catalog, emitted on `@nestjs/event-emitter`'s EventEmitter2.
 *
 * @publicApi
 */
export const SessionEvents = {
  CREATED: 'session.created',
  RENEWED: 'session.renewed',
  ROTATED: 'session.rotated',
  REVOKED: 'session.revoked',
  EXPIRED: 'session.expired',
  LIMIT_REACHED: 'session.limit_reached',
  REPLAY_DETECTED: 'session.replay_detected',
  ANOMALY: 'session.anomaly',
  DEVICE_PROOF_FAILED: 'session.device_proof_failed',
} as const;

export type SessionEventName = (typeof SessionEvents)[keyof typeof SessionEvents];

/** Every event name, e.g. to subscribe one listener to all of them. */
export const SESSION_EVENT_NAMES: readonly SessionEventName[] = Object.freeze(
  Object.values(SessionEvents),
);
