import { SESSION_COOKIE } from '../../shared/bench-targets';

const COOKIE_PREFIX = `${SESSION_COOKIE}=`;

/** The session token in a Cookie header, the cheapest way: the raw baselines' whole cookie logic. */
export function readToken(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const start = header.indexOf(COOKIE_PREFIX);
  if (start === -1) return undefined;
  const end = header.indexOf(';', start);
  return header.slice(start + COOKIE_PREFIX.length, end === -1 ? undefined : end).trim();
}
