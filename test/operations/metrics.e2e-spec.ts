import { bearer, loginWithCookie, registerUser } from '../support/auth-helpers';
import { startTestApp, type TestApp } from '../support/test-app';

/** The value of one sample line (`name{labels} value`) in a Prometheus text exposition. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

/**
 * GET /metrics exposes the session module's counters (SessionMetrics) and live sessions in the
 * Prometheus text format, without a session, from the app's own registry.
 */
describe('GET /metrics', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp();
  });

  afterAll(async () => {
    await app.close();
  });

  it('counts validations by result, events by type and active sessions', async () => {
    const user = await registerUser(app);
    const browser = await loginWithCookie(app, user);
    for (let i = 0; i < 3; i += 1) {
      await app.http().get('/me').set('Cookie', browser.cookie).expect(200);
    }
    await app.http().get('/me').set('Authorization', bearer('garbage')).expect(401);

    const response = await app.http().get('/metrics').expect(200);
    expect(response.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = response.text;
    expect(text).toContain('# TYPE session_validations_total counter');
    expect(sample(text, 'session_validations_total{result="ok"}')).toBeGreaterThanOrEqual(3);
    expect(sample(text, 'session_validations_total{result="invalid"}')).toBeGreaterThanOrEqual(1);
    expect(text).toContain('# TYPE session_events_total counter');
    expect(sample(text, 'session_events_total{type="session.created"}')).toBeGreaterThanOrEqual(1);
    expect(text).toContain('# TYPE sessions_active gauge');
    expect(sample(text, 'sessions_active')).toBeGreaterThanOrEqual(1);
    // Node process metrics from prom-client's default collectors.
    expect(text).toContain('process_cpu_user_seconds_total');
  });

  it('exposes the validation latency as a cumulative histogram with the library buckets', async () => {
    const text = (await app.http().get('/metrics').expect(200)).text;
    expect(text).toContain('# TYPE session_validation_duration_seconds histogram');
    const count = sample(text, 'session_validation_duration_seconds_count') ?? 0;
    expect(count).toBeGreaterThanOrEqual(4);
    const inf = sample(text, 'session_validation_duration_seconds_bucket{le="+Inf"}');
    expect(inf).toBe(count);
    const buckets = [
      ...text.matchAll(/^session_validation_duration_seconds_bucket\{le="[^"]+"\} (\d+)$/gm),
    ].map((match) => Number(match[1]));
    expect(buckets.length).toBe(13);
    expect(buckets).toEqual([...buckets].sort((a, b) => a - b));
  });
});

describe('GET /metrics with METRICS_TOKEN', () => {
  const token = 'scrape-secret-0123456789';
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({ metricsToken: token });
  });

  afterAll(async () => {
    await app.close();
  });

  it.each([
    ['no Authorization header', undefined],
    ['another token', bearer('scrape-secret-0123456780')],
    ['the token under another scheme', `Basic ${token}`],
    ['the token with a suffix', bearer(`${token}x`)],
  ])('answers 401 to a scrape with %s', async (_label, authorization) => {
    const scrape = app.http().get('/metrics');
    if (authorization !== undefined) scrape.set('Authorization', authorization);
    const response = await scrape.expect(401);
    expect(response.body).toEqual({
      statusCode: 401,
      error: 'unauthorized',
      message: expect.any(String),
    });
    expect(response.headers['www-authenticate']).toBe('Bearer realm="metrics"');
    expect(response.text).not.toContain('session_validations_total');
  });

  it('serves the metrics to a scrape that carries the token', async () => {
    const response = await app
      .http()
      .get('/metrics')
      .set('Authorization', bearer(token))
      .expect(200);
    expect(response.text).toContain('# TYPE session_validations_total counter');
  });
});
