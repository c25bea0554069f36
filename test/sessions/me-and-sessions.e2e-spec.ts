import {
  bearer,
  loginWithToken,
  newBearerSession,
  newCookieSession,
  registerUser,
} from '../support/auth-helpers';
import { expectErrorBody } from '../support/error-shape';
import { startTestApp, type TestApp } from '../support/test-app';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

describe('GET /me and the /sessions routes', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({ session: { maxPerUser: 10 } });
  });

  afterAll(async () => {
    await app.close();
  });

  it('GET /me answers { user, session } with exactly the contract fields', async () => {
    const { token, user, sessionId } = await newBearerSession(app);
    const response = await app.http().get('/me').set('Authorization', bearer(token)).expect(200);
    expect(response.body).toEqual({
      user: { id: user.id, email: user.email },
      session: {
        id: sessionId,
        createdAt: expect.stringMatching(ISO_DATE),
        lastSeenAt: expect.stringMatching(ISO_DATE),
        expiresAt: expect.stringMatching(ISO_DATE),
        absoluteExpiresAt: expect.stringMatching(ISO_DATE),
      },
    });
  });

  it.each(['/me', '/sessions', '/audit', '/passport/me', '/auth/csrf'])(
    'GET %s may not be stored by any cache: Cache-Control no-store, Vary on the credentials (ASVS 8.2.1)',
    async (path) => {
      const { cookie } = await newCookieSession(app);
      const response = await app.http().get(path).set('Cookie', cookie).expect(200);
      expect(response.headers['cache-control']).toBe('no-store');
      expect(response.headers.vary).toMatch(/Cookie, Authorization/);
    },
  );

  it('GET /sessions lists the caller’s active sessions only, marking the current one', async () => {
    const user = await registerUser(app);
    const a = await app
      .http()
      .post('/auth/token')
      .set('User-Agent', 'device-a')
      .send({ email: user.email, password: user.password })
      .expect(200);
    const b = await loginWithToken(app, user);
    const ended = await loginWithToken(app, user);
    await app.http().post('/auth/logout').set('Authorization', bearer(ended.token)).expect(204);
    await newBearerSession(app); // someone else's session must not show up

    const response = await app
      .http()
      .get('/sessions')
      .set('Authorization', bearer(b.token))
      .expect(200);
    const byId = new Map(response.body.map((s: { id: string }) => [s.id, s]));
    expect([...byId.keys()].sort()).toEqual([a.body.session.id, b.sessionId].sort());
    expect(byId.get(a.body.session.id)).toEqual({
      id: a.body.session.id,
      createdAt: expect.stringMatching(ISO_DATE),
      lastSeenAt: expect.stringMatching(ISO_DATE),
      // The test server listens dual-stack, where Node reports `::ffff:127.0.0.1`: normalized.
      ip: '127.0.0.1',
      userAgent: 'device-a',
      current: false,
      // Loopback says nothing about where the client is.
      location: { country: null, city: null },
      deviceBound: false,
    });
    expect(byId.get(b.sessionId)).toMatchObject({ current: true });
  });

  describe('DELETE /sessions/:id', () => {
    it('revokes one of the caller’s other sessions: 204, its token dead', async () => {
      const user = await registerUser(app);
      const mine = await loginWithToken(app, user);
      const other = await loginWithToken(app, user);
      await app
        .http()
        .delete(`/sessions/${other.sessionId}`)
        .set('Authorization', bearer(mine.token))
        .expect(204);
      await app.http().get('/me').set('Authorization', bearer(other.token)).expect(401);
      await app.http().get('/me').set('Authorization', bearer(mine.token)).expect(200);
    });

    it('answers 404 for someone else’s session and leaves it alive', async () => {
      const mine = await newBearerSession(app);
      const theirs = await newBearerSession(app);
      const response = await app
        .http()
        .delete(`/sessions/${theirs.sessionId}`)
        .set('Authorization', bearer(mine.token))
        .expect(404);
      expectErrorBody(response.body, 404, 'not_found');
      await app.http().get('/me').set('Authorization', bearer(theirs.token)).expect(200);
    });

    it('answers 404 for a session that is no longer active', async () => {
      const user = await registerUser(app);
      const mine = await loginWithToken(app, user);
      const ended = await loginWithToken(app, user);
      await app.http().post('/auth/logout').set('Authorization', bearer(ended.token)).expect(204);
      await app
        .http()
        .delete(`/sessions/${ended.sessionId}`)
        .set('Authorization', bearer(mine.token))
        .expect(404);
    });

    it.each(['not-a-uuid', '00000000-0000-4000-8000-000000000000', "1' OR '1'='1"])(
      'answers 404 (not 400) for the id %p',
      async (id) => {
        const { token } = await newBearerSession(app);
        const response = await app
          .http()
          .delete(`/sessions/${encodeURIComponent(id)}`)
          .set('Authorization', bearer(token))
          .expect(404);
        expectErrorBody(response.body, 404, 'not_found');
      },
    );

    it('revoking the current session by id ends it and clears the cookie', async () => {
      const { cookie, csrfToken, sessionId } = await newCookieSession(app);
      const response = await app
        .http()
        .delete(`/sessions/${sessionId}`)
        .set('Cookie', cookie)
        .set('X-CSRF-Token', csrfToken)
        .expect(204);
      expect(String(response.headers['set-cookie'])).toMatch(/Max-Age=0/);
      await app.http().get('/me').set('Cookie', cookie).expect(401);
    });
  });

  it('DELETE /sessions revokes all the caller’s other sessions and keeps the current one', async () => {
    const user = await registerUser(app);
    const others = [await loginWithToken(app, user), await loginWithToken(app, user)];
    const mine = await loginWithToken(app, user);
    const stranger = await newBearerSession(app);
    await app.http().delete('/sessions').set('Authorization', bearer(mine.token)).expect(204);
    for (const other of others) {
      await app.http().get('/me').set('Authorization', bearer(other.token)).expect(401);
    }
    await app.http().get('/me').set('Authorization', bearer(mine.token)).expect(200);
    await app.http().get('/me').set('Authorization', bearer(stranger.token)).expect(200);
    const listed = await app.http().get('/sessions').set('Authorization', bearer(mine.token));
    expect(listed.body.map((s: { id: string }) => s.id)).toEqual([mine.sessionId]);
  });
});
