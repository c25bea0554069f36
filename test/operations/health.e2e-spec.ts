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
