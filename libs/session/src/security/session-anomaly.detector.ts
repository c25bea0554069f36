import { Inject, Injectable } from '@nestjs/common';
import { sameIp } from '../core/session.mapper';
import { SessionAnomalyEvent } from '../events/session-event.payloads';
import { SessionEventPublisher } from '../events/session-event.publisher';
import type {
  SessionAnomalyKind,
  SessionGeoLocation,
} from '../options/session-module-options.interface';
import type { ResolvedSessionOptions } from '../options/resolved-session-options.interface';
import { SESSION_RESOLVED_OPTIONS } from '../session.constants';
import type { SessionContext } from '../session.interface';
import type { SessionRecord } from '../store/session.record';
import { SessionStore } from '../store/session.store';
import { SessionValidationCache } from '../cache/session-validation.cache';
import { EventThrottle } from './event.throttle';
import { GeoLookup } from './geo/geo.lookup';
import { type LocatedPoint, travelSpeedKmh } from './geo/travel';

type Client = Required<SessionContext>;

type Finding = [kind: SessionAnomalyKind, previous: string | null, current: string | null];

/**
 * Compares each request with what its session saw at login (OWASP: bind the session to client
 * properties and watch for changes). Each kind is reported at most once per session per window;
 * a kind configured as 'revoke' makes the caller end the session.
 */
@Injectable()
export class SessionAnomalyDetector {
  private readonly throttle: EventThrottle;
  private readonly geo: GeoLookup | undefined;

  constructor(
    @Inject(SESSION_RESOLVED_OPTIONS) private readonly options: ResolvedSessionOptions,
    private readonly events: SessionEventPublisher,
    private readonly store: SessionStore,
    private readonly cache: SessionValidationCache,
  ) {
    this.throttle = new EventThrottle(options.anomaly.windowMs);
    const resolver = options.anomaly.geoResolver;
    this.geo = resolver ? new GeoLookup(resolver) : undefined;
  }

  /**
   * Whether a request looks different from its session at all: another user agent than at
   * sign-in, or another address than the session was last seen from (cheap; no await on the hot
   * path).
   */
  differs(record: SessionRecord, client: Client): boolean {
    return (
      this.options.anomaly.enabled &&
      (client.userAgent !== record.userAgent || !sameIp(client.ip, record.lastIp ?? record.ip))
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
    if (!sameIp(client.ip, record.ip)) findings.push(['ip_changed', record.ip, client.ip]);
    const lastIp = record.lastIp ?? record.ip;
    if (client.ip !== null && !sameIp(client.ip, lastIp)) {
      // Every request since the last move came from lastIp, so the client was there at its last
      // request (lastSeenAt, at most one touchInterval old).
      const from = { ip: lastIp, at: record.lastSeenAt };
      findings.push(...(await this.travel(from, { ip: client.ip, at: now })));
      await this.moved(record, client.ip, now);
    }
    return this.report(record, client, now, findings);
  }

  /** One write per change of address: the next request is measured from here. */
  private async moved(record: SessionRecord, ip: string, now: Date): Promise<void> {
    if (await this.store.recordSighting(record.id, ip, now)) this.cache.invalidate([record.id]);
  }

  /**
   * On login: another live session of the user started from a different ip within the window
   * (`concurrent_locations`), and the way from the user's latest other sign-in to this one
   * (`country_changed`, `impossible_travel`).
   */
  async inspectNewSession(record: SessionRecord, now: Date): Promise<SessionAnomalyKind | null> {
    if (!this.options.anomaly.enabled || record.ip === null) return null;
    const since = now.getTime() - this.options.anomaly.windowMs;
    const others = (await this.store.listActive(record.userId, now)).filter(
      (other) => other.id !== record.id && other.ip !== null,
    );
    const findings: Finding[] = [];
    const elsewhere = others.find(
      (other) => !sameIp(other.ip, record.ip) && other.createdAt.getTime() >= since,
    );
    if (elsewhere) findings.push(['concurrent_locations', elsewhere.ip, record.ip]);
    const latest = others.reduce<SessionRecord | undefined>(
      (found, other) => (found && found.createdAt >= other.createdAt ? found : other),
      undefined,
    );
    if (latest && !sameIp(latest.ip, record.ip)) {
      findings.push(
        ...(await this.travel({ ip: latest.ip, at: latest.createdAt }, { ip: record.ip, at: now })),
      );
    }
    return findings.length === 0 ? null : this.report(record, record, now, findings);
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

  /**
   * `country_changed` and `impossible_travel` between two sightings of a client; nothing without
   * a resolver, or when either address is private or unknown to it.
   */
  private async travel(
    from: { ip: string | null; at: Date },
    to: { ip: string | null; at: Date },
  ): Promise<Finding[]> {
    if (!this.geo) return [];
    const [before, after] = await Promise.all([this.geo.locate(from.ip), this.geo.locate(to.ip)]);
    if (!before || !after) return [];
    const findings: Finding[] = [];
    if (before.country && after.country && before.country !== after.country) {
      findings.push(['country_changed', before.country, after.country]);
    }
    const start: LocatedPoint = { location: before, at: from.at };
    const speed = travelSpeedKmh(start, { location: after, at: to.at });
    if (speed !== null && speed > this.options.anomaly.maxTravelSpeedKmh) {
      findings.push(['impossible_travel', describePlace(before), describePlace(after)]);
    }
    return findings;
  }
}

/** "London, GB": what the event's previous/current say of a place. */
function describePlace({ city, country }: SessionGeoLocation): string {
  return [city, country].filter(Boolean).join(', ');
}
