import type { Clock, SessionStore } from '@app/session';

/** How old a count of live sessions may get before a scrape asks for a new one. */
export const ACTIVE_SESSIONS_MAX_AGE_MS = 30_000;

/**
 * Live sessions of all users, as the session store counts them (`countAllActive`, by the same
 * liveness rule as validation). A count visits every live session, so a scrape never waits for
 * one: it gets the last count at once and, when that is older than `maxAgeMs`, starts the next in
 * the background. Only the first scrape waits, for the first count. So however often /metrics is
 * scraped, and by however many scrapers, the store counts at most once per `maxAgeMs`, and not at
 * all while nobody scrapes.
 */
export function activeSessionsCounter(
  store: Pick<SessionStore, 'countAllActive'>,
  clock: Pick<Clock, 'now'>,
  maxAgeMs = ACTIVE_SESSIONS_MAX_AGE_MS,
): () => Promise<number | null> {
  let last: { count: number | null; at: number } | undefined;
  let counting: Promise<number | null> | undefined;
  const recount = (): Promise<number | null> => {
    counting ??= store
      .countAllActive(clock.now())
      .then((count) => {
        last = { count, at: clock.now().getTime() };
        return count;
      })
      .finally(() => {
        counting = undefined;
      });
    return counting;
  };
  return () => {
    if (last === undefined) return recount();
    if (clock.now().getTime() - last.at >= maxAgeMs) {
      // A failed background count keeps the last one; the next scrape tries again.
      recount().catch(() => undefined);
    }
    return Promise.resolve(last.count);
  };
}
