import { Histogram, type Registry } from 'prom-client';
import type { RequestObserver } from '../platform/completed-requests';

/** Upper bounds (seconds) of the request duration histogram. */
const DURATION_BUCKETS_SECONDS = [
  0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5,
];
/** Node accepts only known methods; anything else is folded, so labels stay few. */
const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);
/** Requests that matched no route (404s, static assets): one series, not one per probed path. */
const UNMATCHED_ROUTE = 'unmatched';

/**
 * `http_request_duration_seconds{method, route, status}`: rate (`_count`), errors (by `status`) and
 * latency per route template (`/sessions/:id`, never the raw path, whose ids would make a series
 * per session), from one histogram. A request costs one `observe` (about a microsecond).
 */
export function httpRequestMetrics(registry: Registry): RequestObserver {
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP requests by method, route template and status code, with their duration in seconds.',
    labelNames: ['method', 'route', 'status'],
    buckets: DURATION_BUCKETS_SECONDS,
    registers: [registry],
  });
  return (completed) => {
    const method =
      completed.method !== undefined && METHODS.has(completed.method) ? completed.method : 'other';
    duration.observe(
      {
        method,
        route: completed.route ?? UNMATCHED_ROUTE,
        // A client that went away got no status: 499, as nginx counts it.
        status: completed.finished ? completed.statusCode : 499,
      },
      completed.responseTimeMs / 1000,
    );
  };
}
