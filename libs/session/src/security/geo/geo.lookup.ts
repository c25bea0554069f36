import { Logger } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import type {
  SessionAnomalyOptions,
  SessionGeoLocation,
} from '../../options/session-module-options.interface';
import { isLocatable } from './private-addresses';

const UNKNOWN: SessionGeoLocation = Object.freeze({ country: null });

/**
 * The app's `geoResolver`, asked only for public addresses and at most once per address while it
 * stays in an LRU (a client whose address changed asks on each request; a resolver may be a
 * network call). A failing resolver counts as "unknown" for that request: the checks that need
 * it are skipped.
 */
export class GeoLookup {
  private readonly logger = new Logger('SessionAnomalyDetector');
  private readonly known = new LRUCache<string, SessionGeoLocation>({ max: 10_000 });

  constructor(private readonly resolve: NonNullable<SessionAnomalyOptions['geoResolver']>) {}

  /** Where `ip` is, or null when the resolver does not know (or the address is private). */
  async locate(ip: string | null): Promise<SessionGeoLocation | null> {
    if (ip === null || !isLocatable(ip)) return null;
    let location = this.known.get(ip);
    if (location === undefined) {
      try {
        location = toLocation(await this.resolve(ip));
      } catch (error) {
        // Not remembered: the next request asks again.
        this.logger.warn(
          `geoResolver failed: ${error instanceof Error ? error.message : String(error)}`,
        );
        return null;
      }
      this.known.set(ip, location);
    }
    return location === UNKNOWN ? null : location;
  }
}

function toLocation(answer: SessionGeoLocation | string | null | undefined): SessionGeoLocation {
  if (typeof answer === 'string') return answer === '' ? UNKNOWN : { country: answer };
  return answer && (answer.country || typeof answer.latitude === 'number') ? answer : UNKNOWN;
}
