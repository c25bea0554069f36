import { DataSource } from 'typeorm';
import { expectErrorBody } from '../support/error-shape';
import { startTestApp, type TestApp } from '../support/test-app';

describe('GET /health', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({ healthCheckTimeoutMs: 300 });
  });

  afterAll(async () => {
    await app.close();
  });

  afterEach(() => {
    jest.restoreAllMocks();
  });

  it('answers 200 { status: "ok" } without a session when the database answers', async () => {
    const response = await app.http().get('/health').expect(200);
    expect(response.body).toEqual({ status: 'ok' });
    expect(response.headers['cache-control']).toBe('no-store');
  });

  it('answers 503 database_unavailable when the query fails', async () => {
    jest.spyOn(app.dataSource, 'query').mockRejectedValueOnce(new Error('connection refused'));
    const response = await app.http().get('/health').expect(503);
    expectErrorBody(response.body, 503, 'database_unavailable');
    expect(response.text).not.toContain('connection refused');
  });

  it('answers 503 when the query takes longer than the timeout', async () => {
    const hang = new Promise<never>(() => undefined);
    jest.spyOn(app.dataSource, 'query').mockReturnValueOnce(hang);
    const started = Date.now();
    const response = await app.http().get('/health').expect(503);
    expectErrorBody(response.body, 503, 'database_unavailable');
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('answers 503 when the database connection is gone, and 200 again once it is back', async () => {
    // A second app on the same database, so closing its pool leaves the suite's app untouched.
    const other = await startTestApp({ database: app.database, healthCheckTimeoutMs: 300 });
    try {
      await other.dataSource.destroy();
      const response = await other.http().get('/health').expect(503);
      expectErrorBody(response.body, 503, 'database_unavailable');
      await other.app.get(DataSource).initialize();
      await other.http().get('/health').expect(200);
    } finally {
      await other.close();
    }
  });
});

describe('GET /health/live and /health/ready', () => {
  const token = 'probe-secret-0123456789';
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({
      healthCheckTimeoutMs: 300,
      metricsToken: token,
      session: { cacheTtlSeconds: 30 },
    });
  });

  afterAll(async () => {
    await app.close();
  });

  afterEach(() => {
    jest.restoreAllMocks();
  });

  it('live answers 200 without asking the database, so a database outage restarts nothing', async () => {
    const query = jest.spyOn(app.dataSource, 'query').mockRejectedValue(new Error('down'));
    const response = await app.http().get('/health/live').expect(200);
    expect(response.body).toEqual({ status: 'ok' });
    expect(response.headers['cache-control']).toBe('no-store');
    expect(query).not.toHaveBeenCalled();
  });

  it('ready answers the contract body, and 503 database_unavailable while the database is down', async () => {
    expect((await app.http().get('/health/ready').expect(200)).body).toEqual({ status: 'ok' });
    jest.spyOn(app.dataSource, 'query').mockRejectedValueOnce(new Error('connection refused'));
    const response = await app.http().get('/health/ready').expect(503);
    expectErrorBody(response.body, 503, 'database_unavailable');
    expect(response.text).not.toContain('connection refused');
  });

  it("ready gives terminus' report, the invalidation channel included, only to the metrics token", async () => {
    const report = await app
      .http()
      .get('/health/ready')
      .set('Authorization', `Bearer ${token}`)
      .expect(200);
    expect(report.body).toEqual(
      expect.objectContaining({
        status: 'ok',
        details: {
          database: expect.objectContaining({ status: 'up' }) as unknown,
          invalidation: { status: 'up' },
        },
      }),
    );
    const other = await app.http().get('/health/ready').set('Authorization', 'Bearer wrong-token');
    expect(other.body).toEqual({ status: 'ok' });

    jest.spyOn(app.dataSource, 'query').mockRejectedValueOnce(new Error('connection refused'));
    const failed = await app
      .http()
      .get('/health/ready')
      .set('Authorization', `Bearer ${token}`)
      .expect(503);
    expect(failed.body).toEqual(
      expect.objectContaining({
        status: 'error',
        error: { database: expect.objectContaining({ status: 'down' }) as unknown },
      }),
    );
  });
});
