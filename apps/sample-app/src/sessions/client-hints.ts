import type { IncomingHttpHeaders } from 'node:http';
import { type Item, parseItem, parseList } from 'structured-headers';
import type { Session } from '@app/session';

/**
 * What a Chromium browser says of itself in its low-entropy User-Agent Client Hints, which it sends
 * on every request to a secure origin. Unlike its reduced user agent, they do not claim a frozen
 * system version ("Windows NT 10.0" on Windows 11). `platformVersion` comes only from a deployment
 * that asks for it (`Accept-CH: Sec-CH-UA-Platform-Version`).
 */
export interface ClientHints {
  brand: string;
  /** Major version of the brand. */
  version: string | null;
  platform: string | null;
  platformVersion: string | null;
  mobile: boolean;
}

/** Client-controlled values are stored with the session: bounded. */
const MAX_FIELD = 64;

/** Brands that only exist to keep parsers honest ("Not.A/Brand", "Not)A;Brand"). */
const GREASE = /not.a.brand/i;

/** Session data key the hints are kept under. */
const KEY = 'clientHints';

/** The hints a request carries, or null without them (or when they are malformed). */
export function clientHintsOf(headers: IncomingHttpHeaders): ClientHints | null {
  const brands = single(headers['sec-ch-ua']);
  if (brands === undefined) return null;
  try {
    const chosen = pickBrand(parseList(brands));
    if (chosen === null) return null;
    return {
      brand: chosen.brand,
      version: chosen.version,
      platform: stringItem(headers['sec-ch-ua-platform']),
      platformVersion: stringItem(headers['sec-ch-ua-platform-version']),
      mobile: booleanItem(headers['sec-ch-ua-mobile']),
    };
  } catch {
    return null; // a malformed header: the user agent names the device instead
  }
}

/** What a new session keeps of the client's hints (nothing without them). */
export function clientHintsData(headers: IncomingHttpHeaders): Record<string, unknown> {
  const hints = clientHintsOf(headers);
  return hints === null ? {} : { [KEY]: hints };
}

/** The hints a session kept at sign-in, if its browser sent any. */
export function clientHintsKeptBy(session: Session): ClientHints | null {
  const kept = session.data[KEY];
  return typeof kept === 'object' &&
    kept !== null &&
    typeof (kept as ClientHints).brand === 'string'
    ? (kept as ClientHints)
    : null;
}

/** The brand that names the browser: a vendor's ("Google Chrome", "Microsoft Edge") over "Chromium". */
function pickBrand(
  list: ReturnType<typeof parseList>,
): { brand: string; version: string | null } | null {
  const brands = list
    .filter((member): member is Item => !Array.isArray(member[0]))
    .map(([brand, parameters]) => {
      const version: unknown = parameters.get('v');
      return { brand: String(brand), version };
    })
    .filter(({ brand }) => brand !== '' && !GREASE.test(brand));
  const chosen = brands.find(({ brand }) => brand !== 'Chromium') ?? brands[0];
  if (chosen === undefined) return null;
  return {
    brand: chosen.brand.slice(0, MAX_FIELD),
    version: typeof chosen.version === 'string' ? chosen.version.slice(0, MAX_FIELD) : null,
  };
}

function stringItem(value: string | string[] | undefined): string | null {
  const raw = single(value);
  if (raw === undefined) return null;
  const item: unknown = parseItem(raw)[0];
  return typeof item === 'string' && item !== '' ? item.slice(0, MAX_FIELD) : null;
}

function booleanItem(value: string | string[] | undefined): boolean {
  const raw = single(value);
  const item: unknown = raw === undefined ? false : parseItem(raw)[0];
  return item === true;
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
