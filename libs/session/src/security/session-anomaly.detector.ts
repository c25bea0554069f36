import { Inject, Injectable, Logger } from '@nestjs/common';
import { sameIp } from '../core/session.mapper';
import { SessionAnomalyEvent } from '../events/session-event.payloads';
import { SessionEventPublisher } from '../events/session-event.publisher';
import type { SessionAnomalyKind } from '../options/session-module-options.interface';
import type { ResolvedSessionOptions } from '../options/resolved-session-options.interface';
import { SESSION_RESOLVED_OPTIONS } from '../session.constants';
import type { SessionContext } from '../session.interface';
import type { SessionRecord } from '../store/session.record';
import { SessionStore } from '../store/session.store';
import { EventThrottle } from './event.throttle';

type Client = Required<SessionContext>;

type Finding = [kind: SessionAnomalyKind, previous: string | null, current: string | null];

/**
 * Compares each request with what its session saw at login (OWASP: bind the session to client
 * properties and watch for changes). Each kind is reported at most once per session per window;
 * a kind configured as 'revoke' makes the caller end the session.
 */
@Injectable()
export class SessionAnomalyDetector {
  private readonly logger = new Logger('SessionAnomalyDetector');
  private readonly throttle: EventThrottle;

  constructor(
    @Inject(SESSION_RESOLVED_OPTIONS) private readonly options: ResolvedSessionOptions,
    private readonly events: SessionEventPublisher,
    private readonly store: SessionStore,
  ) {
    this.throttle = new EventThrottle(options.anomaly.windowMs);
  }

  /** Whether a request looks different from its session at all (cheap; no await on the hot path). */
  differs(record: SessionRecord, client: Client): boolean {
    return (
      this.options.anomaly.enabled &&
      (client.userAgent !== record.userAgent || !sameIp(client.ip, record.ip))
    );
  }

  /** Inspects a request on a live session; returns the first kind that demands revocation. */
  async inspect(
    record: SessionRecord,
    client: Client,
    now: Date,
  ): Promise<SessionAnomalyKind | null> {
    if (!this.options.anomaly.enabled) return null;
    const findings: Finding[] = [];
    if (client.userAgent !== record.userAgent) {
      findings.push(['user_agent_changed', record.userAgent, client.userAgent]);
    }
    // sameIp: a session stored before addresses were normalized keeps its `::ffff:` form.
    if (!sameIp(client.ip, record.ip)) {
      findings.push(['ip_changed', record.ip, client.ip]);
      const countries = await this.countries(record.ip, client.ip);
      if (countries) findings.push(['country_changed', ...countries]);
    }
    return this.report(record, client, now, findings);
  }

  /** On login: another live session of the user started from a different ip within the window. */
  async inspectNewSession(record: SessionRecord, now: Date): Promise<SessionAnomalyKind | null> {
    if (!this.options.anomaly.enabled || record.ip === null) return null;
    const since = now.getTime() - this.options.anomaly.windowMs;
    const others = await this.store.listActive(record.userId, now);
    const elsewhere = others.find(
      (other) =>
        other.id !== record.id &&
        other.ip !== null &&
        !sameIp(other.ip, record.ip) &&
        other.createdAt.getTime() >= since,
    );
    if (!elsewhere) return null;
    return this.report(record, record, now, [['concurrent_locations', elsewhere.ip, record.ip]]);
  }

  private report(
    record: SessionRecord,
    client: Client,
    now: Date,
    findings: Finding[],
  ): SessionAnomalyKind | null {
    let revokeFor: SessionAnomalyKind | null = null;
    for (const [kind, previous, current] of findings) {
      if (this.options.anomaly.actions[kind] === 'revoke') revokeFor ??= kind;
      if (!this.throttle.shouldReport(`${record.id}:${kind}`, now.getTime())) continue;
      this.events.publish(
        new SessionAnomalyEvent(
          { sessionId: record.id, userId: record.userId, ...client, at: now },
          kind,
          { previous, current },
        ),
      );
    }
    return revokeFor;
  }

  private async countries(
    before: string | null,
    after: string | null,
  ): Promise<[string, string] | null> {
    const resolve = this.options.anomaly.geoResolver;
    if (!resolve || !before || !after) return null;
    try {
      const [a, b] = await Promise.all([resolve(before), resolve(after)]);
      return a && b && a !== b ? [a, b] : null;
    } catch (error) {
      // A failing resolver must not fail the request: the check is skipped.
      this.logger.warn(
        `geoResolver failed: ${error instanceof Error ? error.message : String(error)}`,
      );
      return null;
    }
  }
}
