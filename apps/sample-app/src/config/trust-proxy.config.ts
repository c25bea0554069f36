import { compile } from 'proxy-addr';
import { z } from 'zod';
import { optionalText } from './env-values';

/**
 * Which proxies may speak for the client: nobody (`false`), the nearest `hops` proxies, or the
 * listed addresses and ranges. Passed to Express' `trust proxy`, it decides `req.ip`,
 * `req.protocol` and `req.host` — so the client ip recorded on sessions, and the origin the CSRF
 * check compares with.
 */
export type TrustProxy = false | number | readonly string[];

/** Names proxy-addr accepts for its built-in ranges. */
const NAMED_RANGES = new Set(['loopback', 'linklocal', 'uniquelocal']);

const SAFER =
  "false, a hop count (1 behind one proxy) or the proxies' addresses and ranges, comma-separated " +
  '(loopback, 10.0.0.0/8, 192.168.0.10)';

/**
 * TRUST_PROXY [false]. `true` is refused: it trusts the leftmost X-Forwarded-For entry, which the
 * client writes itself even behind a proxy that appends, so an attacker could choose the ip the
 * anomaly checks see.
 */
export function trustProxy() {
  return optionalText().transform((value, context): TrustProxy => {
    const refuse = (expected: string) => {
      context.addIssue({ code: 'custom', message: expected });
      return z.NEVER;
    };
    if (value === undefined) return false;
    const text = value.toLowerCase();
    if (text === 'false' || text === '0') return false;
    if (text === 'true') {
      return refuse(`${SAFER}; "true" would trust an X-Forwarded-For the client writes itself`);
    }
    if (/^\d+$/.test(text)) {
      const hops = Number(text);
      return hops >= 1 && hops <= 10 ? hops : refuse(`${SAFER}; a hop count from 1 to 10`);
    }
    const entries = text
      .split(',')
      .map((entry) => entry.trim())
      .filter((entry) => entry !== '');
    try {
      // proxy-addr is what Express uses: what it compiles, Express applies the same way.
      compile(entries);
    } catch {
      return refuse(SAFER);
    }
    if (entries.length === 0 || entries.some((e) => !NAMED_RANGES.has(e) && !/[.:]/.test(e))) {
      return refuse(SAFER);
    }
    return entries;
  });
}
