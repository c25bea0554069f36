/**
 * Remembers which (key) was reported when, so a repeated condition is reported at most once per
 * window — an attacker replaying a token in a loop must not flood the audit table. Bounded: the
 * oldest keys are forgotten first. Per process: N instances may each report once.
 */
export class EventThrottle {
  private readonly seen = new Map<string, number>();

  constructor(
    private readonly windowMs: number,
    private readonly maxKeys = 10_000,
  ) {}

  /** True when `key` was not reported within the window; records it. */
  shouldReport(key: string, nowMs: number): boolean {
    const last = this.seen.get(key);
    if (last !== undefined && nowMs - last < this.windowMs) return false;
    this.seen.delete(key);
    this.seen.set(key, nowMs);
    if (this.seen.size > this.maxKeys) {
      const oldest = this.seen.keys().next().value;
      if (oldest !== undefined) this.seen.delete(oldest);
    }
    return true;
  }
}
