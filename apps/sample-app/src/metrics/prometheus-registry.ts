import { SessionMetrics } from '@app/session';

type Snapshot = ReturnType<SessionMetrics['snapshot']>;
import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';
import { ACTIVE_SESSIONS_MAX_AGE_MS } from './active-sessions';
import { SnapshotHistogram } from './session-validation.histogram';

/**
 * The app's own Registry (not prom-client's global one, which every app of a test process would
 * share): Node process metrics plus the session module's counters, read from
 * `SessionMetrics.snapshot()` when scraped, so requests pay nothing extra.
 *
 * @param countActiveSessions live sessions right now, or undefined when the store cannot count
 *   them cheaply (Redis: no `session_active` then).
 */
export function createPrometheusRegistry(
  metrics: SessionMetrics,
  countActiveSessions?: () => Promise<number | null>,
): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });

  new Counter({
    name: 'session_validations_total',
    help: 'Session validations by result (ok, missing, invalid, expired, revoked, replay, unavailable).',
    labelNames: ['result'],
    registers: [registry],
    collect() {
      // The library's counters are absolute; reset and set, so the exported value equals them.
      this.reset();
      for (const [result, count] of Object.entries(metrics.snapshot().validations)) {
        this.inc({ result }, count);
      }
    },
  });

  new Counter({
    name: 'session_events_total',
    help: 'Session events published, by type (session.created, session.revoked, ...).',
    labelNames: ['type'],
    registers: [registry],
    collect() {
      this.reset();
      for (const [type, count] of Object.entries(metrics.snapshot().events)) {
        this.inc({ type }, count);
      }
    },
  });

  const snapshotCounter = (name: string, help: string, read: (snapshot: Snapshot) => number) =>
    new Counter({
      name,
      help,
      registers: [registry],
      collect() {
        this.reset();
        this.inc(read(metrics.snapshot()));
      },
    });
  snapshotCounter(
    'session_cache_hits_total',
    'Validations answered from the validation cache without a store read.',
    (snapshot) => snapshot.cacheHits,
  );
  snapshotCounter(
    'session_cache_misses_total',
    'Validations with the validation cache on that read the store (not cached, or cached but due).',
    (snapshot) => snapshot.cacheMisses,
  );
  snapshotCounter(
    'session_cache_evictions_total',
    'Entries the validation cache dropped to stay within its size bound.',
    (snapshot) => snapshot.cacheEvictions,
  );

  new Gauge({
    name: 'session_cache_entries',
    help: "Sessions held by this instance's validation cache.",
    registers: [registry],
    collect() {
      this.set(metrics.snapshot().cacheSize);
    },
  });

  registry.registerMetric(
    new SnapshotHistogram(metrics, {
      name: 'session_validation_duration_seconds',
      help: 'Time to validate a session token (store read or cache hit), in seconds.',
      buckets: [...SessionMetrics.VALIDATION_BUCKETS_SECONDS],
    }),
  );

  if (countActiveSessions !== undefined) {
    new Gauge({
      name: 'session_active',
      help: `Sessions neither ended nor expired, as last counted in the session store (at most every ${ACTIVE_SESSIONS_MAX_AGE_MS / 1000} s, in the background of a scrape).`,
      registers: [registry],
      async collect() {
        const count = await countActiveSessions();
        if (count !== null) this.set(count);
      },
    });
  }
  return registry;
}
