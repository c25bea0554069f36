import { bearer, loginWithToken, registerUser } from '../support/auth-helpers';
import { expectErrorBody } from '../support/error-shape';
import { startTestApp, type TestApp } from '../support/test-app';
import { createTestDatabase, type TestDatabase } from '../support/test-database';
import { sleep } from '../support/wait';

describe('SESSION_MAX_PER_USER', () => {
  // One database for both apps: each strategy gets its own app, but booting two databases is waste.
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase();
  });

  afterAll(async () => {
    await database.drop();
  });

  describe('with evict-oldest', () => {
    let app: TestApp;

    beforeAll(async () => {
      app = await startTestApp({
        database,
        session: { maxPerUser: 2, limitStrategy: 'evict-oldest' },
      });
    });

    afterAll(async () => {
      await app.close();
    });

    it('a login over the limit revokes the oldest session (reason limit)', async () => {
      const user = await registerUser(app);
      const oldest = await loginWithToken(app, user);
      await sleep(5);
      const middle = await loginWithToken(app, user);
      await sleep(5);
      const newest = await loginWithToken(app, user);

      await app.http().get('/me').set('Authorization', bearer(oldest.token)).expect(401);
      await app.http().get('/me').set('Authorization', bearer(middle.token)).expect(200);
      await app.http().get('/me').set('Authorization', bearer(newest.token)).expect(200);
      const listed = await app
        .http()
        .get('/sessions')
        .set('Authorization', bearer(newest.token))
        .expect(200);
      expect(listed.body.map((s: { id: string }) => s.id).sort()).toEqual(
        [middle.sessionId, newest.sessionId].sort(),
      );
    });
  });

  describe('with reject', () => {
    let app: TestApp;

    beforeAll(async () => {
      app = await startTestApp({ database, session: { maxPerUser: 2, limitStrategy: 'reject' } });
    });

    afterAll(async () => {
      await app.close();
    });

    it.each(['/auth/login', '/auth/token'])(
      '%s over the limit answers 409 session_limit_reached and leaves the others alone',
      async (path) => {
        const user = await registerUser(app);
        const first = await loginWithToken(app, user);
        const second = await loginWithToken(app, user);
        const response = await app
          .http()
          .post(path)
          .send({ email: user.email, password: user.password })
          .expect(409);
        expectErrorBody(response.body, 409, 'session_limit_reached');
        expect(response.headers['set-cookie']).toBeUndefined();
        await app.http().get('/me').set('Authorization', bearer(first.token)).expect(200);
        await app.http().get('/me').set('Authorization', bearer(second.token)).expect(200);
      },
    );

    it('a wrong password still answers 401 at the limit (credentials are checked first)', async () => {
      const user = await registerUser(app);
      await loginWithToken(app, user);
      await loginWithToken(app, user);
      await app
        .http()
        .post('/auth/token')
        .send({ email: user.email, password: 'wrong password' })
        .expect(401);
    });

    it('a logout frees a slot', async () => {
      const user = await registerUser(app);
      const first = await loginWithToken(app, user);
      await loginWithToken(app, user);
      await app.http().post('/auth/logout').set('Authorization', bearer(first.token)).expect(204);
      await loginWithToken(app, user);
    });
  });
});
