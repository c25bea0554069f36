/** What a soak run measured: every request's route, status and latency. */
export class SoakStats {
  private readonly latencies = new Map<string, number[]>();
  private readonly statuses = new Map<string, Map<string, number>>();
  /** Responses the traffic did not expect (any 5xx, a network error, a wrong 4xx), by route and status. */
  readonly unexpected = new Map<string, number>();
  total = 0;

  record(route: string, status: number | 'network', ms: number, expected: boolean): void {
    this.total += 1;
    const latencies = this.latencies.get(route) ?? [];
    latencies.push(ms);
    this.latencies.set(route, latencies);
    const byStatus = this.statuses.get(route) ?? new Map<string, number>();
    byStatus.set(String(status), (byStatus.get(String(status)) ?? 0) + 1);
    this.statuses.set(route, byStatus);
    if (!expected) {
      const key = `${route} → ${status}`;
      this.unexpected.set(key, (this.unexpected.get(key) ?? 0) + 1);
    }
  }

  routes(): { route: string; count: number; p50: number; p99: number; statuses: string }[] {
    return [...this.latencies.entries()]
      .sort(([, a], [, b]) => b.length - a.length)
      .map(([route, values]) => {
        const sorted = [...values].sort((a, b) => a - b);
        const statuses = [...(this.statuses.get(route) ?? new Map<string, number>()).entries()]
          .sort()
          .map(([status, count]) => `${status}×${count}`)
          .join(', ');
        return {
          route,
          count: sorted.length,
          p50: percentile(sorted, 0.5),
          p99: percentile(sorted, 0.99),
          statuses,
        };
      });
  }

  overall(): { p50: number; p99: number } {
    const all = [...this.latencies.values()].flat().sort((a, b) => a - b);
    return { p50: percentile(all, 0.5), p99: percentile(all, 0.99) };
  }

  /** Every response by status code, all routes together. */
  byStatus(): string {
    const totals = new Map<string, number>();
    for (const byStatus of this.statuses.values()) {
      for (const [status, count] of byStatus) totals.set(status, (totals.get(status) ?? 0) + count);
    }
    return [...totals.entries()]
      .sort()
      .map(([status, count]) => `${status}×${count}`)
      .join(', ');
  }
}

/** Nearest-rank percentile of sorted values (ms); 0 for none. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
}
