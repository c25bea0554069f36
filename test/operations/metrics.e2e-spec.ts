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
    expect(text).toContain('# TYPE session_active gauge');
    expect(sample(text, 'session_active')).toBeGreaterThanOrEqual(1);
    // One prefix for everything the session module reports.
    const sessionSeries = [...text.matchAll(/^# TYPE (\S+)/gm)]
      .map((match) => match[1])
      .filter((name) => /session/.test(name));
    for (const name of sessionSeries) expect(name).toMatch(/^session_/);
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

describe('GET /metrics: HTTP requests and the validation cache', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({ session: { cacheTtlSeconds: 60 } });
  });

  afterAll(async () => {
    await app.close();
  });

  it('counts HTTP requests by method, route template and status, never by raw path', async () => {
    const user = await registerUser(app);
    const browser = await loginWithCookie(app, user);
    await app.http().get('/me').set('Cookie', browser.cookie).expect(200);
    await app.http().get('/me').expect(401);
    const unknownSession = 'a'.repeat(8) + '-aaaa-4aaa-8aaa-' + 'a'.repeat(12);
    await app.http().get(`/no-such-page-${unknownSession}`).expect(404);
    await app
      .http()
      .delete(`/sessions/${unknownSession}`)
      .set('Authorization', bearer('garbage'))
      .expect(401);

    const text = (await app.http().get('/metrics').expect(200)).text;
    expect(text).toContain('# TYPE http_request_duration_seconds histogram');
    const count = (labels: string) =>
      sample(text, `http_request_duration_seconds_count{${labels}}`);
    expect(count('method="GET",route="/me",status="200"')).toBeGreaterThanOrEqual(1);
    expect(count('method="GET",route="/me",status="401"')).toBeGreaterThanOrEqual(1);
    expect(count('method="DELETE",route="/sessions/:id",status="401"')).toBe(1);
    expect(count('method="GET",route="unmatched",status="404"')).toBeGreaterThanOrEqual(1);
    expect(text).not.toContain(unknownSession);
  });

  it('reports cache hits, misses and entries', async () => {
    const user = await registerUser(app);
    const browser = await loginWithCookie(app, user);
    const before = (await app.http().get('/metrics').expect(200)).text;
    for (let i = 0; i < 3; i += 1) {
      await app.http().get('/me').set('Cookie', browser.cookie).expect(200);
    }
    const after = (await app.http().get('/metrics').expect(200)).text;
    const grew = (series: string) => (sample(after, series) ?? 0) - (sample(before, series) ?? 0);
    // The first request reads the store and fills the cache; the next two are answered from it.
    expect(grew('session_cache_misses_total')).toBe(1);
    expect(grew('session_cache_hits_total')).toBe(2);
    expect(sample(after, 'session_cache_entries')).toBeGreaterThanOrEqual(1);
    expect(after).toContain('# TYPE session_cache_evictions_total counter');
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
