import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { Clock } from '../../clock/clock';
import { DpopProofException } from '../../errors/session.exceptions';
import type { ResolvedSessionOptions } from '../../options/resolved-session-options.interface';
import { requestUrlWithoutQuery } from '../../pipeline/request-url';
import type { SessionRequest } from '../../pipeline/session-request';
import { SESSION_RESOLVED_OPTIONS } from '../../session.constants';
import type { Session } from '../../session.interface';
import { SessionStore } from '../../store/session.store';
import { type SessionResponse, setHeader } from '../../transport/http-response';
import { DpopNonces } from './dpop-nonces';
import { DpopProofError, verifyDpopProof, type VerifiedDpopProof } from './dpop-proof';

const KIND = 'dpop:';

/**
 * DPoP (RFC 9449) for bearer sessions: binds a token to the key of the proof it was issued for,
 * and from then on accepts it only with a fresh proof by that key. Each accepted proof's `jti` is
 * claimed in the store, so a captured request replayed on any instance within the proof's
 * lifetime is refused.
 */
@Injectable()
export class DpopBinding implements OnModuleInit {
  private readonly logger = new Logger('SessionDpop');
  private readonly nonces: DpopNonces | undefined;

  constructor(
    @Inject(SESSION_RESOLVED_OPTIONS) private readonly options: ResolvedSessionOptions,
    private readonly store: SessionStore,
    private readonly clock: Clock,
  ) {
    const nonce = options.dpop?.nonce;
    this.nonces = nonce ? new DpopNonces(nonce.secret, nonce.lifetimeMs) : undefined;
  }

  /** A store without `claimProof` could not refuse a replayed proof: refuse to boot instead. */
  onModuleInit(): void {
    if (this.options.dpop && this.store.claimProof === SessionStore.prototype.claimProof) {
      throw new Error(
        `SessionModule: dpop needs a store that implements claimProof(); ${this.store.constructor.name} does not.`,
      );
    }
  }

  /**
   * For a route that issues a bearer token: the key to bind it to (`dpop:<thumbprint>`, for
   * `SessionService.create`'s `boundKey`), or null for a request without a `DPoP` header — which
   * `dpop.required` refuses. An invalid proof is refused (401 `invalid_dpop_proof`, with the
   * challenge on `response`).
   */
  async keyForIssue(request: SessionRequest, response?: SessionResponse): Promise<string | null> {
    const dpop = this.options.dpop;
    if (dpop === undefined) return null;
    if (request.headers.dpop === undefined && !dpop.required) return null;
    const proof = await this.accept(request, undefined, response);
    return KIND + proof.thumbprint;
  }

  /** Whether `check` has anything to do: a DPoP-bound session, or the `DPoP` scheme. */
  applies(scheme: 'bearer' | 'dpop' | undefined, session: Session): boolean {
    return scheme === 'dpop' || session.boundKey?.startsWith(KIND) === true;
  }

  /**
   * For a request that presented `token` for `session` (`scheme` undefined: as a cookie): a bound
   * session needs the `DPoP` scheme and a proof by its key over this request and this token; a
   * `DPoP` token must be bound. Call it where `applies`.
   */
  async check(
    request: SessionRequest,
    token: string,
    scheme: 'bearer' | 'dpop' | undefined,
    session: Session,
    response?: SessionResponse,
  ): Promise<void> {
    const bound = session.boundKey?.startsWith(KIND) === true;
    if (!bound || scheme !== 'dpop') {
      return this.refuse(bound ? `${scheme ?? 'cookie'} transport` : 'unbound', response);
    }
    const proof = await this.accept(request, token, response);
    if (KIND + proof.thumbprint !== session.boundKey) this.refuse('another key', response);
  }

  /** Verifies the request's one proof and claims its `jti`; refuses otherwise. */
  private async accept(
    request: SessionRequest,
    token: string | undefined,
    response: SessionResponse | undefined,
  ): Promise<VerifiedDpopProof> {
    const header = request.headers.dpop;
    if (typeof header !== 'string') {
      return this.refuse(header === undefined ? 'missing' : 'multiple', response);
    }
    const now = this.clock.now();
    let proof: VerifiedDpopProof;
    try {
      proof = await verifyDpopProof(header, {
        method: request.method ?? 'GET',
        url: requestUrlWithoutQuery(request),
        accessToken: token,
        now,
        lifetimeMs: this.options.dpop?.proofLifetimeMs ?? 60_000,
      });
    } catch (error) {
      if (error instanceof DpopProofError) return this.refuse(error.failure, response);
      throw error;
    }
    if (this.nonces) {
      // The client's next proofs need the current nonce, whatever this one carried.
      if (response) setHeader(response, 'DPoP-Nonce', this.nonces.current(now));
      if (!this.nonces.isValid(proof.nonce, now))
        return this.refuse('nonce', response, 'use_dpop_nonce');
    }
    const claim = `${KIND}${proof.thumbprint}:${proof.jti}`;
    if (!(await this.store.claimProof(claim, proof.replayableUntil, now))) {
      return this.refuse('replay', response);
    }
    return proof;
  }

  private refuse(
    reason: string,
    response: SessionResponse | undefined,
    code: 'invalid_dpop_proof' | 'use_dpop_nonce' = 'invalid_dpop_proof',
  ): never {
    // Debug, not warn: a client retrying with a stale clock would flood the log.
    this.logger.debug(`DPoP proof refused: ${reason}`);
    const refusal = new DpopProofException(code);
    if (response) setHeader(response, 'WWW-Authenticate', refusal.challenge);
    throw refusal;
  }
}
