import type { Clock, SessionStore } from '@app/session';

/** How long a count of live sessions is reused: Prometheus may scrape every few seconds. */
export const ACTIVE_SESSIONS_MAX_AGE_MS = 30_000;

/**
 * Live sessions of all users, as the session store counts them (`countAllActive`, by the same
 * liveness rule as validation). A count visits every live session, so it runs at most once per
 * `maxAgeMs`, however often /metrics is scraped and by however many scrapers; parallel scrapes
 * share one query.
 */
export function activeSessionsCounter(
  store: Pick<SessionStore, 'countAllActive'>,
  clock: Pick<Clock, 'now'>,
  maxAgeMs = ACTIVE_SESSIONS_MAX_AGE_MS,
): () => Promise<number | null> {
  let last: { count: Promise<number | null>; at: number } | undefined;
  return () => {
    const now = clock.now();
    if (last === undefined || now.getTime() - last.at >= maxAgeMs) {
      const count = store.countAllActive(now);
      last = { count, at: now.getTime() };
      // A failed count is not kept: the next scrape asks again.
      count.catch(() => {
        if (last?.count === count) last = undefined;
      });
    }
    return last.count;
  };
}
