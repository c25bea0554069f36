import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { JWK } from 'jose';
import { Clock } from '../../clock/clock';
import { normalizeContext } from '../../core/session.mapper';
import { SessionWriter } from '../../core/session.writer';
import { DeviceProofFailedException } from '../../errors/session.exceptions';
import { SessionDeviceProofFailedEvent } from '../../events/session-event.payloads';
import { SessionEventPublisher } from '../../events/session-event.publisher';
import type { ResolvedSessionOptions } from '../../options/resolved-session-options.interface';
import { requestOrigin } from '../../pipeline/request-url';
import { getSessionContext, type SessionRequest } from '../../pipeline/session-request';
import { SESSION_RESOLVED_OPTIONS } from '../../session.constants';
import type { Session } from '../../session.interface';
import { isLive } from '../../policy/session.policy';
import type { SessionRecord } from '../../store/session.record';
import { SessionStore } from '../../store/session.store';
import { type SessionResponse, setHeader } from '../../transport/http-response';
import { SessionCookie } from '../../transport/session.cookie';
import { DbscChallenges } from './dbsc-challenges';
import {
  DBSC_ALGORITHMS,
  DbscProofError,
  verifyRefreshProof,
  verifyRegistrationProof,
} from './dbsc-proof';

const KIND = 'dbsc:';

/** The session configuration a registration or refresh answers (JSON session instructions). */
export interface DbscSessionInstructions {
  readonly session_identifier?: string;
  readonly refresh_url?: string;
  readonly continue?: boolean;
  readonly scope?: { readonly origin: string; readonly include_site: boolean };
  readonly credentials?: readonly {
    readonly type: 'cookie';
    readonly name: string;
    readonly attributes: string;
  }[];
}

/**
 * Device Bound Session Credentials (W3C WebAppSec draft) for cookie sessions. A sign-in offers
 * registration (`Secure-Session-Registration`); the browser answers with a proof signed by a key
 * it keeps, which is bound to the session, and from then on the session's cookie lives
 * `deviceBound.cookieLifetime`: the pipeline refuses a bound session's token older than that, and
 * only a proof by the bound key over a fresh challenge (single use, across instances) gets a new
 * one. A copied cookie therefore dies within minutes; sessions of browsers without DBSC are
 * unaffected.
 */
@Injectable()
export class DeviceBoundSessions implements OnModuleInit {
  private readonly challenges: DbscChallenges | undefined;

  constructor(
    @Inject(SESSION_RESOLVED_OPTIONS) private readonly options: ResolvedSessionOptions,
    private readonly store: SessionStore,
    private readonly writer: SessionWriter,
    private readonly cookie: SessionCookie,
    private readonly events: SessionEventPublisher,
    private readonly clock: Clock,
  ) {
    const secret = options.deviceBound?.secret;
    this.challenges = secret === undefined ? undefined : new DbscChallenges(secret);
  }

  /** A store without `bindKey` and `claimProof` cannot hold a binding: refuse to boot instead. */
  onModuleInit(): void {
    if (!this.options.deviceBound) return;
    for (const method of ['bindKey', 'claimProof'] as const) {
      if (this.store[method] === SessionStore.prototype[method]) {
        throw new Error(
          `SessionModule: deviceBound needs a store that implements ${method}(); ${this.store.constructor.name} does not.`,
        );
      }
    }
  }

  /** Whether a token of `session` is too old for its device binding (the pipeline refuses it). */
  isExpiredBoundToken(session: Session): boolean {
    const deviceBound = this.options.deviceBound;
    return (
      deviceBound !== undefined &&
      session.boundKey?.startsWith(KIND) === true &&
      this.clock.now().getTime() - session.tokenIssuedAt.getTime() > deviceBound.cookieLifetimeMs
    );
  }

  /**
   * Offers the browser to bind `session` (call it on a cookie sign-in): sets
   * `Secure-Session-Registration` on `response`. Does nothing with DBSC off.
   */
  offerRegistration(response: SessionResponse, session: Session): void {
    const { deviceBound } = this.options;
    if (!deviceBound || !this.challenges) return;
    const challenge = this.challenges.issue(session.id, this.clock.now());
    setHeader(
      response,
      'Secure-Session-Registration',
      `(${DBSC_ALGORITHMS.join(' ')});path="${deviceBound.registrationPath}";challenge="${challenge}"`,
    );
  }

  /**
   * The registration request of a cookie `session`: verifies the proof (`Secure-Session-Response`)
   * over the challenge offered at sign-in, binds its key, sets a short-lived cookie and answers
   * the instructions. Throws `DeviceProofFailedException` (403) otherwise.
   */
  async register(
    request: SessionRequest,
    response: SessionResponse,
    session: Session,
  ): Promise<DbscSessionInstructions> {
    const now = this.clock.now();
    const proof = sfString(request.headers['secure-session-response']);
    let verified: { jwk: JWK; challenge: string };
    try {
      if (proof === null) throw new DbscProofError('invalid');
      verified = await verifyRegistrationProof(proof);
    } catch (error) {
      return this.fail(request, session, reasonOf(error), now);
    }
    await this.consume(request, session, verified.challenge, now);
    const bound = await this.writer.bindKey(session.id, KIND + JSON.stringify(verified.jwk), now);
    if (!bound) return this.fail(request, session, 'already_bound', now);
    return this.reissue(request, response, bound, now);
  }

  /**
   * The browser's refresh (`Sec-Secure-Session-Id`): without a proof, a challenge (403 with
   * `Secure-Session-Challenge`); with a proof by the bound key over an unused challenge, a new
   * short-lived cookie and the instructions. An ended session answers `continue: false`, so the
   * browser stops refreshing it.
   */
  async refresh(
    request: SessionRequest,
    response: SessionResponse,
  ): Promise<DbscSessionInstructions> {
    const now = this.clock.now();
    const sessionId = sfString(request.headers['sec-secure-session-id']);
    const record = sessionId === null ? null : await this.store.findById(sessionId);
    if (!record || !record.boundKey?.startsWith(KIND)) {
      return this.fail(request, null, 'unknown_session', now);
    }
    if (!isLive(record, now)) return { continue: false };
    const proof = sfString(request.headers['secure-session-response']);
    if (proof === null) {
      const challenge = this.requireChallenges().issue(record.id, now);
      setHeader(response, 'Secure-Session-Challenge', `"${challenge}";id="${record.id}"`);
      throw new DeviceProofFailedException('A proof over this challenge is required.');
    }
    let challenge: string;
    try {
      challenge = await verifyRefreshProof(
        proof,
        JSON.parse(record.boundKey.slice(KIND.length)) as JWK,
      );
    } catch (error) {
      return this.fail(request, record, reasonOf(error), now);
    }
    await this.consume(request, record, challenge, now);
    return this.reissue(request, response, record, now);
  }

  /** The challenge must be one this deployment issued for this session, recently, and unused. */
  private async consume(
    request: SessionRequest,
    session: Pick<Session, 'id' | 'userId'>,
    challenge: string,
    now: Date,
  ): Promise<void> {
    const issuedAt = this.requireChallenges().issuedAt(session.id, challenge, now);
    if (issuedAt === null) return this.fail(request, session, 'unknown_challenge', now);
    const until = new Date(issuedAt.getTime() + DbscChallenges.LIFETIME_MS);
    if (!(await this.store.claimProof(`${KIND}${session.id}:${challenge}`, until, now))) {
      return this.fail(request, session, 'reused_challenge', now);
    }
  }

  /** A new token for the bound session, in a short-lived cookie; the CSRF token stays. */
  private async reissue(
    request: SessionRequest,
    response: SessionResponse,
    record: SessionRecord | Session,
    now: Date,
  ): Promise<DbscSessionInstructions> {
    const issued = await this.writer.rotate(
      record.id,
      normalizeContext(getSessionContext(request)),
      now,
      {
        graceUntil: new Date(now.getTime() + this.options.rotationGraceMs),
        reauthenticated: false,
        csrfToken: record.csrfToken,
      },
    );
    if (!issued) return { continue: false };
    this.cookie.write(response, issued.token, issued.session);
    return this.instructions(request, issued.session);
  }

  private instructions(request: SessionRequest, session: Session): DbscSessionInstructions {
    return {
      session_identifier: session.id,
      refresh_url: this.options.deviceBound?.refreshPath,
      scope: { origin: requestOrigin(request), include_site: false },
      credentials: [
        { type: 'cookie', name: this.cookie.name, attributes: this.cookie.attributeLine() },
      ],
    };
  }

  /**
   * 403, reported as `session.device_proof_failed`; with `onReplay: 'revoke-user-sessions'` the
   * session it claimed ends too (a proof by another key or a reused challenge means a copy).
   */
  private async fail(
    request: SessionRequest,
    session: Pick<Session, 'id' | 'userId'> | null,
    reason: string,
    now: Date,
  ): Promise<never> {
    // An unknown session has no user whose audit trail could hold the event.
    if (session) {
      const client = normalizeContext(getSessionContext(request));
      this.events.publish(
        new SessionDeviceProofFailedEvent({
          sessionId: session.id,
          userId: session.userId,
          ...client,
          at: now,
          reason,
        }),
      );
      if (this.options.onReplay === 'revoke-user-sessions') {
        await this.writer.end(session.id, 'replay', now);
      }
    }
    throw new DeviceProofFailedException();
  }

  private requireChallenges(): DbscChallenges {
    if (!this.challenges) throw new Error('SessionModule: deviceBound is off');
    return this.challenges;
  }
}

function reasonOf(error: unknown): string {
  if (error instanceof DbscProofError)
    return error.failure === 'another_key' ? 'another_key' : 'invalid_proof';
  throw error;
}

/**
 * A DBSC header's value: a Structured Field string (RFC 9651 §3.3.3), as the draft writes it, or
 * the bare value, as Chromium 156 sends `Secure-Session-Response`; null otherwise.
 */
function sfString(value: string | string[] | undefined): string | null {
  if (typeof value !== 'string') return null;
  const bare = value.trim();
  if (/^[A-Za-z0-9._~+/=-]+$/.test(bare)) return bare;
  const match = /^"((?:[^"\\]|\\["\\])*)"\s*(?:;.*)?$/.exec(bare);
  return match ? match[1].replace(/\\(["\\])/g, '$1') : null;
}
