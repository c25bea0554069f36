import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { Clock } from '../clock/clock';
import { SessionWriter } from '../core/session.writer';
import { CsrfFailedException } from '../errors/session.exceptions';
import { sessionErrorParts } from '../errors/session-error.parts';
import type { SessionInvalidation } from '../invalidation/session-invalidation.channel';
import { SessionInvalidationHub } from '../invalidation/session-invalidation.hub';
import type { ResolvedSessionOptions } from '../options/resolved-session-options.interface';
import { SessionAuthenticator } from '../pipeline/session.authenticator';
import {
  attachAuthentication,
  type RequestAuthentication,
  type SessionRequest,
} from '../pipeline/session-request';
import {
  handshakeRequest,
  type HandshakeCarrier,
  rememberSocketRequest,
  type SocketHandshake,
} from '../pipeline/socket-request';
import { expiryOf } from '../policy/session.policy';
import { isSameOriginOrAllowed } from '../security/csrf.check';
import { SESSION_RESOLVED_OPTIONS } from '../session.constants';
import type { Session } from '../session.interface';
import type { SessionEndReason } from '../store/session.record';
import { SessionStore } from '../store/session.store';

/** Why a watched session ended; `unknown` when its record is gone (purged). */
export interface SessionEnd {
  readonly reason: SessionEndReason | 'unknown';
}

/** What the app may say about a handshake that the handshake itself cannot (proxy trust). */
export interface SocketClient {
  /** The client address, as the app's proxy trust defines it. @default the peer address */
  ip?: string;
  /** `https` behind a TLS-terminating proxy the app trusts. @default from the connection */
  protocol?: string;
  /** The public host behind a proxy the app trusts. @default the Host header */
  host?: string;
}

export interface SessionSocketMiddlewareOptions {
  /** Resolves the client behind a trusted proxy; see `SocketClient`. */
  client?: (handshake: SocketHandshake) => SocketClient;
}

/** The error socket.io hands to the client as `connect_error`. */
export type SocketRefusal = Error & { data: { code: string } };

interface Watch {
  readonly sessionId: string;
  readonly onEnded: (end: SessionEnd) => void;
  timer: NodeJS.Timeout | undefined;
}

/** setTimeout's ceiling (~24.8 days); a later expiry is re-checked then. */
const MAX_TIMER_MS = 2 ** 31 - 1;
/** Checked a little after the expiry, so the store agrees it has passed. */
const EXPIRY_MARGIN_MS = 20;

/**
 * Sessions for WebSocket gateways: authenticates a socket.io handshake through the same pipeline
 * as HTTP, and tells the app when a socket's session ends — revoked on any instance (the
 * invalidation channel), or expired while the socket sat idle — so it can close that socket.
 *
 * @publicApi
 * @example
 * afterInit(server: Namespace) { server.use(this.sockets.middleware()); }
 * handleConnection(socket: Socket) {
 *   const stop = this.sockets.watch(sessionOfSocket(socket), ({ reason }) => {
 *     socket.emit('session.ended', { reason });
 *     socket.disconnect(true);
 *   });
 *   socket.once('disconnect', stop);
 * }
 */
@Injectable()
export class SessionSockets implements OnApplicationShutdown {
  private readonly logger = new Logger('SessionSockets');
  private readonly watches = new Map<string, Set<Watch>>();
  /** One store read per session id at a time, however many sockets watch it. */
  private readonly checks = new Map<string, Promise<void>>();
  private stopListening: (() => void) | undefined;

  constructor(
    @Inject(SESSION_RESOLVED_OPTIONS) private readonly options: ResolvedSessionOptions,
    private readonly authenticator: SessionAuthenticator,
    private readonly store: SessionStore,
    private readonly writer: SessionWriter,
    private readonly hub: SessionInvalidationHub,
    private readonly clock: Clock,
  ) {}

  /**
   * Authenticates a handshake: the session cookie — only from the app's own origin or one of
   * `csrf.allowedOrigins`, against cross-site WebSocket hijacking — or `auth: { token }`. Throws
   * the HTTP pipeline's errors (401, 403 `csrf_failed`, 503).
   */
  async authenticate(
    handshake: SocketHandshake,
    client: SocketClient = {},
  ): Promise<RequestAuthentication> {
    return (await this.admit(handshake, client)).authentication;
  }

  /**
   * A socket.io middleware (`namespace.use(…)`): admits a handshake with a live session and
   * attaches it to the socket, for `sessionOfSocket()` and `@CurrentSession()`; refuses any other
   * with `connect_error` message `unauthorized` (`data.code` says why), or `unavailable` when the
   * store failed.
   */
  middleware(
    options: SessionSocketMiddlewareOptions = {},
  ): (socket: HandshakeCarrier, next: (error?: Error) => void) => void {
    return (socket, next) => {
      this.admit(socket.handshake, options.client?.(socket.handshake) ?? {}).then(
        ({ authentication, request }) => {
          attachAuthentication(socket, authentication);
          rememberSocketRequest(socket, request);
          next();
        },
        (error: unknown) => next(refusalOf(error)),
      );
    };
  }

  /**
   * Calls `onEnded` once when this session ends: logout, revocation, a password change, an
   * anomaly — on any instance — or idle/absolute expiry without any request. Returns a function
   * that stops watching (call it when the socket disconnects).
   */
  watch(session: Session, onEnded: (end: SessionEnd) => void): () => void {
    this.stopListening ??= this.hub.listen({
      onInvalidate: (invalidation) => this.onInvalidate(invalidation),
      // Messages may have been missed while the channel was down: look at every session again.
      onStateChange: (up) => up && this.onInvalidate('all'),
    });
    const watch: Watch = { sessionId: session.id, onEnded, timer: undefined };
    let set = this.watches.get(session.id);
    if (!set) this.watches.set(session.id, (set = new Set()));
    set.add(watch);
    this.schedule(watch, earliest(session.expiresAt, session.absoluteExpiresAt));
    // It may have ended between the handshake's validation and now, unheard by this watch.
    void this.check(session.id);
    return () => this.unwatch(watch);
  }

  onApplicationShutdown(): void {
    this.stopListening?.();
    for (const set of this.watches.values()) for (const watch of set) clearTimeout(watch.timer);
    this.watches.clear();
  }

  private async admit(
    handshake: SocketHandshake,
    client: SocketClient,
  ): Promise<{ authentication: RequestAuthentication; request: SessionRequest }> {
    const request = handshakeRequest(handshake, client);
    const authentication = await this.authenticator.authenticate(request);
    if (
      authentication.via === 'cookie' &&
      !isSameOriginOrAllowed(request, this.options.csrf.allowedOrigins)
    ) {
      throw new CsrfFailedException('origin');
    }
    return { authentication, request };
  }

  private onInvalidate(invalidation: SessionInvalidation): void {
    const ids = invalidation === 'all' ? [...this.watches.keys()] : invalidation;
    for (const id of ids) if (this.watches.has(id)) void this.check(id);
  }

  private check(sessionId: string): Promise<void> {
    let running = this.checks.get(sessionId);
    if (!running) {
      running = this.inspect(sessionId)
        .catch((error: unknown) => {
          // The store is down: keep the sockets; the next message re-validates, the timer retries.
          this.logger.warn(
            `Could not check session ${sessionId}: ${error instanceof Error ? error.message : String(error)}`,
          );
          this.rescheduleAll(sessionId, new Date(this.clock.now().getTime() + 1000));
        })
        .finally(() => this.checks.delete(sessionId));
      this.checks.set(sessionId, running);
    }
    return running;
  }

  /** Reads the session: ended or expired ends its watches; live moves their timers. */
  private async inspect(sessionId: string): Promise<void> {
    const record = await this.store.findById(sessionId);
    const now = this.clock.now();
    if (!record) return this.end(sessionId, { reason: 'unknown' });
    if (record.endedAt !== null)
      return this.end(sessionId, { reason: record.endReason ?? 'unknown' });
    const expiry = expiryOf(record, now);
    if (expiry) {
      // Recorded like an expiry found by a request: the event, the audit, the other instances.
      await this.writer.end(record.id, expiry, now);
      return this.end(sessionId, { reason: expiry });
    }
    this.rescheduleAll(sessionId, earliest(record.idleExpiresAt, record.absoluteExpiresAt));
  }

  private end(sessionId: string, end: SessionEnd): void {
    const set = this.watches.get(sessionId);
    if (!set) return;
    this.watches.delete(sessionId);
    for (const watch of set) {
      clearTimeout(watch.timer);
      watch.onEnded(end);
    }
  }

  private rescheduleAll(sessionId: string, at: Date): void {
    for (const watch of this.watches.get(sessionId) ?? []) this.schedule(watch, at);
  }

  private schedule(watch: Watch, at: Date): void {
    clearTimeout(watch.timer);
    const delay = at.getTime() - this.clock.now().getTime() + EXPIRY_MARGIN_MS;
    watch.timer = setTimeout(
      () => void this.check(watch.sessionId),
      Math.min(Math.max(delay, 0), MAX_TIMER_MS),
    );
    watch.timer.unref();
  }

  private unwatch(watch: Watch): void {
    clearTimeout(watch.timer);
    const set = this.watches.get(watch.sessionId);
    set?.delete(watch);
    if (set?.size === 0) this.watches.delete(watch.sessionId);
  }
}

function earliest(a: Date, b: Date): Date {
  return a.getTime() <= b.getTime() ? a : b;
}

/** socket.io sends `message` and `data` of a middleware's error to the client. */
function refusalOf(error: unknown): SocketRefusal {
  const parts = sessionErrorParts(error);
  const unavailable = parts?.code === 'session_store_unavailable';
  const refusal = new Error(unavailable ? 'unavailable' : 'unauthorized') as SocketRefusal;
  refusal.data = { code: parts?.code ?? 'unauthorized' };
  return refusal;
}
