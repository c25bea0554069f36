import type { SessionMetrics } from '@app/session';
import { Histogram } from 'prom-client';

type HistogramValues = Awaited<ReturnType<Histogram['get']>>;

/**
 * A histogram read from `SessionMetrics.snapshot()` at scrape time. The library already keeps the
 * cumulative bucket counts, sum and count; prom-client's Histogram can only `observe()` single
 * values, so this subclass reports the snapshot instead of its own (empty) state. The buckets are
 * the library's (VALIDATION_BUCKETS_SECONDS), so the two cannot drift apart.
 */
export class SnapshotHistogram extends Histogram {
  // Set by prom-client's constructor, missing from its typings.
  declare readonly type: HistogramValues['type'];
  declare readonly aggregator: HistogramValues['aggregator'];

  constructor(
    private readonly metrics: SessionMetrics,
    private readonly config: { name: string; help: string; buckets: number[] },
  ) {
    // registers: [] — the caller registers it on the app's own Registry.
    super({ ...config, registers: [] });
  }

  // Not built on super.get(): that calls getForPromString(), which is overridden below.
  override get(): Promise<HistogramValues> {
    const { buckets, sum, count } = this.metrics.snapshot().validationSeconds;
    const { name, help } = this.config;
    return Promise.resolve({
      name,
      help,
      type: this.type,
      aggregator: this.aggregator,
      collect: () => undefined,
      values: [
        ...buckets.map(({ le, count: cumulative }) => ({
          metricName: `${name}_bucket`,
          labels: { le: Number.isFinite(le) ? le : '+Inf' },
          value: cumulative,
        })),
        { metricName: `${name}_sum`, labels: {}, value: sum },
        { metricName: `${name}_count`, labels: {}, value: count },
      ],
    });
  }

  /** What Registry.metrics() calls for the text format (missing from prom-client's typings). */
  getForPromString(): Promise<HistogramValues> {
    return this.get();
  }
}
