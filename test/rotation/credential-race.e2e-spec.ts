import { bearer, registerUser, type TestUser } from '../support/auth-helpers';
import { startTestApp, type TestApp } from '../support/test-app';
import { createTestDatabase, type TestDatabase } from '../support/test-database';
import { deleteRedisKeys, TEST_REDIS_URL, uniqueRedisPrefix } from '../support/test-redis';

/**
 * A password change or an account deletion ends every session created with the old password —
 * including those of logins already under way when it happened (ASVS 4.0.3 3.3.3 / 5.0 7.4.2,
 * 7.4.3). Dozens of old-password logins race the change; afterwards not one of their tokens
 * authenticates, and after a deletion nothing of the user is readable with them. On both stores,
 * with both kinds of limit strategy.
 */
const LOGINS = 40;
const NEW_PASSWORD = 'a brand new passphrase';

const cases = [
  ['postgres', 'evict-oldest'],
  ['postgres', 'reject'],
  ['redis', 'evict-oldest'],
  ['redis', 'reject'],
] as const;

describe.each(cases)('credential changes racing logins (%s store, %s)', (store, limitStrategy) => {
  let database: TestDatabase;
  let app: TestApp;
  const redisPrefix = uniqueRedisPrefix();

  beforeAll(async () => {
    database = await createTestDatabase();
    app = await startTestApp({
      database,
      session: { maxPerUser: 1000, limitStrategy },
      ...(store === 'redis'
        ? {
            sessionStore: {
              kind: 'redis',
              url: TEST_REDIS_URL,
              keyPrefix: redisPrefix,
              connectTimeoutMs: 2000,
              commandTimeoutMs: 2000,
            },
          }
        : {}),
    });
  });
  afterAll(async () => {
    await app.close();
    await database.drop();
    if (store === 'redis') await deleteRedisKeys(redisPrefix);
  });

  const credentials = ({ email, password }: TestUser) => ({ email, password });

  /** A fresh bearer session, so sensitive actions need no re-authentication. */
  const signIn = async (user: TestUser) => {
    const response = await app.http().post('/auth/token').send(credentials(user)).expect(200);
    return response.body.token as string;
  };

  /** Old-password logins fired together; the tokens of those that got one. */
  const racingLogins = (user: TestUser, count = LOGINS): Promise<string[]> =>
    Promise.all(
      Array.from({ length: count }, async () => {
        const response = await app.http().post('/auth/token').send(credentials(user));
        return response.status === 200 ? (response.body.token as string) : null;
      }),
    ).then((tokens) => tokens.filter((token): token is string => token !== null));

  const status = async (path: string, token: string) =>
    (await app.http().get(path).set('Authorization', bearer(token))).status;

  it('after a password change, no session of an old-password login is live', async () => {
    const user = await registerUser(app);
    const changer = await signIn(user);
    const [issued, change] = await Promise.all([
      racingLogins(user),
      // Start the change while the logins are in their argon2 verification.
      new Promise((resolve) => setTimeout(resolve, 15)).then(() =>
        app
          .http()
          .post('/auth/password')
          .set('Authorization', bearer(changer))
          .send({ currentPassword: user.password, newPassword: NEW_PASSWORD }),
      ),
    ]);
    expect(change.status).toBe(200);
    // The race was real: logins that read the old password got a token (without the watermark,
    // those still in their password check when the change landed would survive it).
    expect(issued.length).toBeGreaterThan(0);
    // Some logins got a token before the change or while it ran: all of them must be dead now.
    const statuses = await Promise.all(issued.map((token) => status('/me', token)));
    expect(statuses.filter((s) => s !== 401)).toEqual([]);
    // The only live session is the changer's rotated one.
    const rotated = change.body.token as string;
    const sessions = await app
      .http()
      .get('/sessions')
      .set('Authorization', bearer(rotated))
      .expect(200);
    expect(sessions.body).toHaveLength(1);
  });

  it('after an account deletion, nothing of the user is readable with any racing login’s token', async () => {
    const user = await registerUser(app);
    const deleter = await signIn(user);
    // Logins in waves, so some are in their password check when the deletion lands.
    const waves = Array.from({ length: 4 }, (_, wave) =>
      new Promise((resolve) => setTimeout(resolve, wave * 20)).then(() =>
        racingLogins(user, LOGINS / 4),
      ),
    );
    const [deletion, ...results] = await Promise.all([
      app
        .http()
        .delete('/account')
        .set('Authorization', bearer(deleter))
        .send({ password: user.password }),
      ...waves,
    ]);
    const issued = results.flat();
    expect(deletion.status).toBe(204);
    for (const token of [...issued, deleter]) {
      for (const path of ['/me', '/sessions', '/audit'])
        expect([path, await status(path, token)]).toEqual([path, 401]);
    }
  });
});
