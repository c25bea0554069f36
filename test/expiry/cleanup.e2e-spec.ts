import { SessionCleanup } from '@app/session';
import { bearer, newBearerSession } from '../support/auth-helpers';
import { describeWithPostgres } from '../support/requires-postgres';
import { startTestApp, type TestApp } from '../support/test-app';

const EXPIRED_ROWS = 100_000;

/*
 * Cleanup at scale: one SessionCleanup.run() removes 100,000 expired sessions in bounded batches
 * while requests keep validating sessions at full speed — the batches are short transactions, so
 * they never lock out the hot path — and the live session survives.
 */
describeWithPostgres('SessionCleanup with 100,000 expired sessions', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp();
  });

  afterAll(async () => {
    await app.close();
  });

  const countDue = async (): Promise<number> => {
    const [{ count }] = await app.dataSource.query<{ count: string }[]>(
      'SELECT count(*) AS count FROM sessions WHERE purge_after <= now()',
    );
    return Number(count);
  };

  it('purges them all while concurrent validations all answer 200', async () => {
    const { token, user } = await newBearerSession(app);
    // Expired an hour ago and past their retention: exactly what cleanup must delete.
    await app.dataSource.query(
      `INSERT INTO sessions (id, token_hash, user_id, csrf_token, data, created_at, last_seen_at,
         idle_expires_at, absolute_expires_at, authenticated_at, rotated_at, generation, ended_at,
         end_reason, purge_after)
       SELECT gen_random_uuid(), sha256(convert_to('expired-' || g, 'UTF8')), $1, md5(g::text),
              '{}', now() - interval '2 days', now() - interval '1 day',
              now() - interval '1 day', now() - interval '1 hour', now() - interval '2 days',
              now() - interval '2 days', 0, now() - interval '1 day', 'idle',
              now() - interval '1 minute'
         FROM generate_series(1, $2::int) AS g`,
      [user.id, EXPIRED_ROWS],
    );
    expect(await countDue()).toBe(EXPIRED_ROWS);

    let cleaning = true;
    const statuses: number[] = [];
    const validate = async (): Promise<void> => {
      while (cleaning) {
        const response = await app.http().get('/me').set('Authorization', bearer(token));
        statuses.push(response.status);
      }
    };
    const clients = [validate(), validate(), validate(), validate()];
    const started = Date.now();
    const removed = await app.app
      .get(SessionCleanup)
      .run()
      .finally(() => {
        cleaning = false;
      });
    const elapsedMs = Date.now() - started;
    await Promise.all(clients);

    expect(removed).toBe(EXPIRED_ROWS);
    expect(await countDue()).toBe(0);
    // Validation really ran alongside, and never failed.
    expect(statuses.length).toBeGreaterThan(20);
    expect(statuses.filter((status) => status !== 200)).toEqual([]);
    await app.http().get('/me').set('Authorization', bearer(token)).expect(200);
    process.stderr.write(
      `cleanup: ${removed} rows in ${elapsedMs} ms; ${statuses.length} validations meanwhile\n`,
    );
  }, 120_000);
});
