/** What an invalidation message names: some sessions by public id, or every session. */
export type SessionInvalidation = readonly string[] | 'all';

export interface SessionInvalidationHandlers {
  /** Another instance (or this one) ended, rotated or changed these sessions. */
  onInvalidate(invalidation: SessionInvalidation): void;
  /** The channel went up or down; while down, cached validations must not be trusted. */
  onStateChange(up: boolean): void;
}

/**
 * Broadcasts session invalidations to every instance, for the validation cache: PostgreSQL
 * LISTEN/NOTIFY with the PostgreSQL store, Redis pub/sub with the Redis store. Messages carry
 * public session ids only, never a token or a hash.
 */
export abstract class SessionInvalidationChannel {
  /** Starts listening; reconnects by itself after a failure, reporting state changes. */
  abstract subscribe(handlers: SessionInvalidationHandlers): Promise<void>;
  /** Sends an invalidation to every subscribed instance (this one included). */
  abstract publish(invalidation: SessionInvalidation): Promise<void>;
  abstract close(): Promise<void>;
}

/** Channel name / topic shared by the implementations. */
export const INVALIDATION_TOPIC = 'nest_session_invalidate';

/** Encodes an invalidation; long id lists are split to stay under NOTIFY's 8,000-byte payload. */
export function encodeInvalidation(invalidation: SessionInvalidation): string[] {
  if (invalidation === 'all') return ['*'];
  const messages: string[] = [];
  for (let i = 0; i < invalidation.length; i += 100) {
    messages.push(invalidation.slice(i, i + 100).join(','));
  }
  return messages;
}

export function decodeInvalidation(message: string): SessionInvalidation {
  return message === '*' ? 'all' : message.split(',').filter((id) => id !== '');
}

/** Delivers invalidations within one process: for the in-memory store and single-instance apps. */
export class LocalInvalidationChannel extends SessionInvalidationChannel {
  private handlers: SessionInvalidationHandlers | undefined;

  subscribe(handlers: SessionInvalidationHandlers): Promise<void> {
    this.handlers = handlers;
    handlers.onStateChange(true);
    return Promise.resolve();
  }

  publish(invalidation: SessionInvalidation): Promise<void> {
    this.handlers?.onInvalidate(invalidation);
    return Promise.resolve();
  }

  close(): Promise<void> {
    this.handlers?.onStateChange(false);
    this.handlers = undefined;
    return Promise.resolve();
  }
}
