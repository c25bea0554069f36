import { HttpException, Inject, Injectable, Logger } from '@nestjs/common';
import { type SessionFailure, SessionValidator } from '../core/session.validator';
import {
  CsrfFailedException,
  SessionStoreUnavailableException,
  SessionUnauthorizedException,
} from '../errors/session.exceptions';
import { SessionMetrics } from '../metrics/session.metrics';
import type { ResolvedSessionOptions } from '../options/resolved-session-options.interface';
import { csrfFailureOf, isUnsafeMethod } from '../security/csrf.check';
import { SESSION_RESOLVED_OPTIONS } from '../session.constants';
import type { IssuedSession } from '../session.interface';
import { appendHeader, type SessionResponse, setHeader } from '../transport/http-response';
import { SessionCookie } from '../transport/session.cookie';
import { readSessionToken } from '../transport/session-token.reader';
import { DpopBinding } from '../security/dpop/dpop.binding';
import { DeviceBoundSessions } from '../security/dbsc/device-bound-sessions';
import {
  attachAuthentication,
  getSessionContext,
  type RequestAuthentication,
  sessionAuthMethod,
  type SessionRequest,
} from './session-request';

/** How a session issued during a request (re-authentication, password change) reaches the client. */
export type SessionHandOver =
  { via: 'cookie'; csrfToken: string } | { via: 'bearer'; token: string };

/**
 * The one request pipeline: read the token (cookie or bearer), validate it, check CSRF, attach
 * the session, hand a rotated token over, count the result. `SessionGuard`, the Passport
 * strategy and the GraphQL and WebSocket adapters are thin callers of `authenticate`, so every
 * way in accepts and refuses exactly the same requests with the same errors.
 *
 * @publicApi
 * @example
 * // a custom guard for a transport of your own
 * const { session } = await authenticator.authenticate(request, response);
 */
@Injectable()
export class SessionAuthenticator {
  private readonly logger = new Logger('SessionGuard');

  constructor(
    @Inject(SESSION_RESOLVED_OPTIONS) private readonly options: ResolvedSessionOptions,
    private readonly validator: SessionValidator,
    private readonly cookie: SessionCookie,
    private readonly metrics: SessionMetrics,
    private readonly dpop: DpopBinding,
    private readonly deviceBound: DeviceBoundSessions,
  ) {}

  /**
   * Authenticates `request` or throws: 401 `unauthorized` / `session_expired`, 403 `csrf_failed`,
   * 503 `session_store_unavailable` (the store failed: fail closed). Without a `response` (a
   * transport that cannot set cookies) the token is never rotated, since the new one could not
   * reach the client. `renew: false` validates without counting the request as activity (a
   * socket message, unless `socketActivityRenews`). `csrf: false` skips the CSRF check, for a
   * request that carries its own proof (the DBSC registration, which the browser sends itself).
   */
  async authenticate(
    request: SessionRequest,
    response?: SessionResponse,
    { renew = true, csrf = true }: { renew?: boolean; csrf?: boolean } = {},
  ): Promise<RequestAuthentication> {
    const { token, via, scheme } = readSessionToken(
      request,
      this.options.cookie.name,
      this.options.transports,
    );
    // Periodic rotation only on safe cookie requests: an unsafe one may still fail the CSRF check
    // below, and a rotation whose new cookie never reaches the browser would end its session
    // once the grace period is over.
    const unsafe = isUnsafeMethod(request.method ?? 'GET');
    const rotate = via === 'cookie' && !unsafe && response !== undefined;
    const started = performance.now();
    let result;
    try {
      result = await this.validator.validate(token, getSessionContext(request), rotate, renew);
    } catch (error) {
      this.metrics.recordValidation('unavailable', secondsSince(started));
      throw this.storeFailure(error);
    }
    this.metrics.recordValidation(result.ok ? 'ok' : result.failure, secondsSince(started));
    if (!result.ok || !via) throw unauthorized(result.ok ? 'missing' : result.failure);
    // A binding belongs to the token, whichever way it came: a DPoP-bound token sent as a cookie
    // or a device-bound cookie's token sent as a bearer keeps its rules.
    if (token !== undefined && this.dpop.applies(scheme, result.session)) {
      await this.dpop.check(request, token, scheme, result.session, response);
    }
    // A device-bound token past its short life is a copy, or a browser that failed to refresh.
    if (this.deviceBound.isExpiredBoundToken(result.session)) throw unauthorized('missing');

    if (via === 'cookie' && csrf && this.options.csrf.enabled && unsafe) {
      const failure = csrfFailureOf(request, result.session, this.options.csrf);
      if (failure) throw new CsrfFailedException(failure);
    }
    const authentication = { session: result.session, via, user: result.user };
    attachAuthentication(request, authentication);
    if (response && this.options.cacheControl) {
      // A response that depends on who asks must not be stored by a browser or shared cache
      // (ASVS 4.0.3 8.2.1). A route that wants caching sets its own Cache-Control (Nest's
      // @Header runs after guards and wins); Vary keeps such a cache keyed by the credential.
      setHeader(response, 'Cache-Control', 'no-store');
      appendHeader(response, 'Vary', 'Cookie, Authorization');
    }
    // Passport's convention, for code that reads the user off the request.
    if (this.options.resolveUser) (request as { user?: unknown }).user = result.user;
    if (result.token && response) this.cookie.write(response, result.token, result.session);
    return authentication;
  }

  /**
   * For a route that issues a bearer token (with the `dpop` option): the key the `DPoP` proof of
   * this request proves, as `boundKey` for `SessionService.create`; null without a proof (unless
   * `dpop.required`). Throws `DpopProofException` (401 `invalid_dpop_proof`, its challenge set on
   * `response`) for an invalid or replayed proof.
   *
   * @example
   * const boundKey = await authenticator.dpopKeyOf(req, res);
   * const { token } = await sessions.create(user.id, getSessionContext(req), {}, { boundKey });
   * return { token, token_type: boundKey ? 'DPoP' : 'Bearer' };
   */
  dpopKeyOf(request: SessionRequest, response?: SessionResponse): Promise<string | null> {
    return this.dpop.keyForIssue(request, response);
  }

  /**
   * Hands a session issued for this request (by `rotate()` after re-authentication or a password
   * change) back the way the caller authenticated: a cookie caller gets the new cookie and must
   * use the new CSRF token (the old one died with the old token); a bearer caller gets the new
   * token, for the response body, on a response marked uncacheable.
   */
  handOver(request: object, response: SessionResponse, issued: IssuedSession): SessionHandOver {
    if (sessionAuthMethod(request) === 'cookie') {
      this.cookie.write(response, issued.token, issued.session);
      return { via: 'cookie', csrfToken: issued.session.csrfToken };
    }
    setHeader(response, 'Cache-Control', 'no-store');
    return { via: 'bearer', token: issued.token };
  }

  /**
   * Ends the session the request already presents (cookie or bearer), whoever it belongs to —
   * call it from a login route once the credentials were accepted, so a sign-in never leaves an
   * earlier session of that client alive (OWASP: end any existing session before
   * authenticating). A token that is malformed, unknown or already ended changes nothing.
   * Returns whether a session ended.
   */
  async endPresentedSession(
    request: SessionRequest,
    reason: 'replaced' = 'replaced',
  ): Promise<boolean> {
    const { token } = readSessionToken(request, this.options.cookie.name, this.options.transports);
    return this.validator.endByToken(token, reason);
  }

  /** A store error becomes 503 (fail closed); an HttpException raised inside passes as it is. */
  private storeFailure(error: unknown): HttpException {
    if (error instanceof HttpException) return error;
    this.logger.error(
      `Session store failed: ${error instanceof Error ? error.message : String(error)}`,
    );
    return new SessionStoreUnavailableException();
  }
}

function unauthorized(failure: SessionFailure): HttpException {
  return new SessionUnauthorizedException(
    failure === 'expired' ? 'session_expired' : 'unauthorized',
  );
}

function secondsSince(started: number): number {
  return (performance.now() - started) / 1000;
}
