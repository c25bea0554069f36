import { SessionMetrics } from './session.metrics';

describe('SessionMetrics', () => {
  it('counts validations by result and builds a cumulative latency histogram', () => {
    const metrics = new SessionMetrics();
    metrics.recordValidation('ok', 0.0004);
    metrics.recordValidation('ok', 0.003);
    metrics.recordValidation('invalid', 7);
    const snapshot = metrics.snapshot();
    expect(snapshot.validations).toMatchObject({ ok: 2, invalid: 1, expired: 0 });
    const bucket = (le: number) =>
      snapshot.validationSeconds.buckets.find((b) => b.le === le)?.count;
    expect(bucket(0.0005)).toBe(1);
    expect(bucket(0.005)).toBe(2);
    expect(bucket(2.5)).toBe(2);
    expect(bucket(Number.POSITIVE_INFINITY)).toBe(3);
    expect(snapshot.validationSeconds.count).toBe(3);
    expect(snapshot.validationSeconds.sum).toBeCloseTo(7.0034);
  });

  it('counts events by type and returns copies, not live state', () => {
    const metrics = new SessionMetrics();
    metrics.recordEvent('session.created');
    metrics.recordEvent('session.created');
    const before = metrics.snapshot();
    metrics.recordEvent('session.revoked');
    expect(before.events).toEqual({ 'session.created': 2 });
    expect(metrics.snapshot().events).toEqual({ 'session.created': 2, 'session.revoked': 1 });
  });
});
