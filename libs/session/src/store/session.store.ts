import type {
  CreateSessionParams,
  CreateSessionResult,
  EndAllForUserParams,
  EndSessionParams,
  RotateSessionParams,
  RotatedTokenRecord,
  SessionRecord,
} from './session.record';

/**
 * The storage seam. Implementations keep `SessionRecord`s and must honour every contract below;
 * `libs/session/testing/session-store.conformance.ts` checks them. "Live" means: not ended,
 * `idleExpiresAt > now` and `absoluteExpiresAt > now`. All times are `Date`s; every method that
 * takes `now` must use it instead of its own clock, so tests can drive time.
 *
 * Usable as a DI token: `@Inject(SessionStore)`.
 * @publicApi
 */
export abstract class SessionStore {
  /**
   * Inserts `record`. With a `limit`, the count of the user's live sessions and the insert (and
   * any eviction) are ONE atomic step per user, even across processes: 30 racing creates with
   * max 3 leave exactly 3 live sessions. Under `reject`, nothing is written when the user is at the
   * limit. Evicted sessions are ended with reason `limit` and returned. With
   * `authenticatedSince`, the user's revocation watermark is checked in the same step. A token
   * hash already in use by a session is refused (throws): one current hash, one session.
   */
  abstract create(record: SessionRecord, params: CreateSessionParams): Promise<CreateSessionResult>;

  /** The session whose CURRENT token has this hash, live or not; null when none. One indexed read. */
  abstract findByTokenHash(tokenHash: Buffer): Promise<SessionRecord | null>;

  /** The rotated-token tombstone with this hash; null when none. */
  abstract findRotatedToken(tokenHash: Buffer): Promise<RotatedTokenRecord | null>;

  /** The session with this public id, live or not; null when none. */
  abstract findById(id: string): Promise<SessionRecord | null>;

  /**
   * Sliding renewal: sets `lastSeenAt` and `idleExpiresAt`, only if the session is live and its
   * `lastSeenAt` is at or before `notAfter` — so a burst of concurrent requests writes once.
   * Never revives an ended session. Returns whether a write happened.
   */
  abstract touch(
    id: string,
    params: { lastSeenAt: Date; idleExpiresAt: Date; notAfter: Date; now: Date },
  ): Promise<boolean>;

  /**
   * Replaces the token hash (and CSRF token) of a live session and keeps the old hash as a
   * `RotatedTokenRecord`. Atomic: of two racing rotations with the same `expectedGeneration`,
   * one wins and the other gets null. Null also when the session is not live.
   */
  abstract rotate(id: string, params: RotateSessionParams): Promise<SessionRecord | null>;

  /**
   * Ends one session not yet ended. With reason `idle` or `absolute` it also ends a session whose
   * expiry has passed (recording the expiry); with any other reason only a live one. Returns the
   * session as ended, or null when nothing changed — so of many concurrent calls exactly one
   * gets the record (and emits the event).
   */
  abstract end(id: string, params: EndSessionParams): Promise<SessionRecord | null>;

  /**
   * Ends every live session of a user except `exceptId`; returns those it ended. With a
   * `watermark`, records it in the same atomic step (per user, across processes): a `create` for
   * this user whose `authenticatedSince` is at or before it is then refused.
   */
  abstract endAllForUser(userId: string, params: EndAllForUserParams): Promise<SessionRecord[]>;

  /** Ends every live session of every user (admin kill switch); returns how many. */
  abstract endAll(params: EndSessionParams): Promise<number>;

  /** The user's live sessions, most recently created first. */
  abstract listActive(userId: string, now: Date): Promise<SessionRecord[]>;

  /** How many live sessions the user has. */
  abstract countActive(userId: string, now: Date): Promise<number>;

  /**
   * How many live sessions there are, of all users — for a gauge, not for a request path; null
   * when the store cannot count them cheaply. The default answers null, so a store written before
   * this method existed keeps compiling (Redis answers null too: its sessions are keys with TTLs,
   * and counting them would mean a SCAN).
   */
  countAllActive(_now: Date): Promise<number | null> {
    return Promise.resolve(null);
  }

  /** Replaces the data of a live session; null when it is not live. */
  abstract updateData(
    id: string,
    data: Record<string, unknown>,
    now: Date,
  ): Promise<SessionRecord | null>;

  /**
   * Remembers where a live session was last seen (`ip` at `at`, the caller's now), written only
   * when its address changed; false when it is not live. The default remembers nothing (travel is
   * then measured from the sign-in), so a store written before this method keeps working.
   */
  recordSighting(_id: string, _ip: string, _at: Date): Promise<boolean> {
    return Promise.resolve(false);
  }

  /**
   * Binds a live, unbound session to `boundKey`; null when it is not live or already bound (the
   * first binding wins, so a second registration cannot replace the key). The default throws: a
   * store must implement it before `deviceBound` can be turned on (the module checks at boot).
   */
  bindKey(_id: string, _boundKey: string, _now: Date): Promise<SessionRecord | null> {
    return Promise.reject(new Error(`${this.constructor.name} does not implement bindKey()`));
  }

  /**
   * Records a single-use proof (a DPoP `jti`, under a key naming its signer) until `expiresAt`.
   * True the first time; false while an unexpired record of it exists — atomically, across every
   * instance sharing the store, so a captured proof cannot be replayed anywhere. The default
   * throws: a store must implement it before `dpop` can be turned on (the module checks at boot).
   */
  claimProof(_key: string, _expiresAt: Date, _now: Date): Promise<boolean> {
    return Promise.reject(new Error(`${this.constructor.name} does not implement claimProof()`));
  }

  /**
   * Deletes sessions and rotated tokens whose `purgeAfter` has passed, at most `batchSize` rows
   * per statement; returns how many rows went.
   */
  abstract purge(now: Date, batchSize: number): Promise<number>;
}
