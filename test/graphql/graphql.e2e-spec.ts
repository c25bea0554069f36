import {
  bearer,
  loginWithToken,
  newBearerSession,
  newCookieSession,
  registerUser,
} from '../support/auth-helpers';
import { startTestApp, type TestApp } from '../support/test-app';
import { sleep, waitFor } from '../support/wait';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const ME =
  'query { me { user { id email } session { id createdAt lastSeenAt expiresAt absoluteExpiresAt } } }';
const SESSIONS = 'query { sessions { id current ip userAgent createdAt lastSeenAt } }';

interface GraphQLBody {
  data?: Record<string, unknown> | null;
  errors?: { message: string; extensions: { code: string; error?: string } }[];
}

describe('POST /graphql: the account API through the same session pipeline', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({ session: { maxPerUser: 10, reauthSeconds: 2 } });
  });

  afterAll(async () => {
    await app.close();
  });

  function gql(query: string, variables?: Record<string, unknown>) {
    return app
      .http()
      .post('/graphql')
      .set('Content-Type', 'application/json')
      .send({ query, variables });
  }

  function expectRefused(body: GraphQLBody, code: string): void {
    expect(body.data ?? null).toBeNull();
    expect(body.errors).toHaveLength(1);
    expect(body.errors?.[0].extensions.code).toBe(code);
    expect(JSON.stringify(body)).not.toMatch(/stacktrace|at .*\.js|\/src\//);
  }

  it('me answers the user and the current session, by bearer token', async () => {
    const { token, user, sessionId } = await newBearerSession(app);
    const response = await gql(ME).set('Authorization', bearer(token)).expect(200);
    expect(response.body).toEqual({
      data: {
        me: {
          user: { id: user.id, email: user.email },
          session: {
            id: sessionId,
            createdAt: expect.stringMatching(ISO_DATE),
            lastSeenAt: expect.stringMatching(ISO_DATE),
            expiresAt: expect.stringMatching(ISO_DATE),
            absoluteExpiresAt: expect.stringMatching(ISO_DATE),
          },
        },
      },
    });
  });

  it('me and sessions in one operation: one answer, the current session marked', async () => {
    const user = await registerUser(app);
    const other = await loginWithToken(app, user);
    const current = await loginWithToken(app, user);
    const response = await gql(
      `query { me { session { id } } sessions { id current ip userAgent createdAt lastSeenAt } }`,
    )
      .set('Authorization', bearer(current.token))
      .expect(200);
    const sessions = response.body.data.sessions as { id: string; current: boolean }[];
    expect(response.body.data.me.session.id).toBe(current.sessionId);
    expect(sessions.map((s) => s.id).sort()).toEqual([other.sessionId, current.sessionId].sort());
    expect(sessions.find((s) => s.id === current.sessionId)).toEqual({
      id: current.sessionId,
      current: true,
      ip: '127.0.0.1',
      userAgent: null,
      createdAt: expect.stringMatching(ISO_DATE),
      lastSeenAt: expect.stringMatching(ISO_DATE),
    });
  });

  it("names each session's device and lists the audit events, for the account page", async () => {
    const user = await registerUser(app);
    const phone =
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 ' +
      '(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';
    const signedIn = await app
      .http()
      .post('/auth/token')
      .set('User-Agent', phone)
      .send({ email: user.email, password: user.password })
      .expect(200);
    // The audit row is written from the event bus, just after the answer: wait for it.
    const body = await waitFor(
      async () =>
        (
          await gql(
            'query { sessions { id device { name mobile } } auditEvents { type sessionId device { name } } }',
          )
            .set('Authorization', bearer(signedIn.body.token as string))
            .set('User-Agent', phone)
            .expect(200)
        ).body as { data: { sessions: unknown[]; auditEvents: Array<{ type: string }> } },
      (answer) => answer.data.auditEvents.some((event) => event.type === 'session.created'),
    );
    expect(body.data.sessions).toEqual([
      { id: signedIn.body.session.id, device: { name: 'Safari 17 on iOS 17.5', mobile: true } },
    ]);
    expect(body.data.auditEvents).toEqual(
      expect.arrayContaining([
        {
          type: 'session.created',
          sessionId: signedIn.body.session.id,
          device: { name: 'Safari 17 on iOS 17.5' },
        },
      ]),
    );
  });

  it('names a device from the Client Hints its browser sent at sign-in, over its user agent', async () => {
    const user = await registerUser(app);
    const signedIn = await app
      .http()
      .post('/auth/token')
      .set(
        'User-Agent',
        'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36',
      )
      .set('Sec-CH-UA', '"Microsoft Edge";v="156", "Not-A.Brand";v="24", "Chromium";v="156"')
      .set('Sec-CH-UA-Mobile', '?0')
      .set('Sec-CH-UA-Platform', '"Windows"')
      .set('Sec-CH-UA-Platform-Version', '"19.0.0"')
      .send({ email: user.email, password: user.password })
      .expect(200);
    const answer = await gql('query { sessions { device { name mobile } } }')
      .set('Authorization', bearer(signedIn.body.token as string))
      .expect(200);
    expect(answer.body).toEqual({
      data: { sessions: [{ device: { name: 'Microsoft Edge 156 on Windows 11', mobile: false } }] },
    });
  });

  it.each([
    ['no credential', undefined],
    ['an unknown token', bearer('A'.repeat(43))],
    ['a malformed header', 'Bearer'],
  ])('UNAUTHENTICATED with %s, and no data', async (_label, authorization) => {
    const request = gql(ME);
    if (authorization) request.set('Authorization', authorization);
    const response = await request.expect(200);
    expectRefused(response.body, 'UNAUTHENTICATED');
  });

  it('UNAUTHENTICATED once the session is revoked (logout), at once', async () => {
    const { token } = await newBearerSession(app);
    await gql(ME).set('Authorization', bearer(token)).expect(200);
    await app.http().post('/auth/logout').set('Authorization', bearer(token)).expect(204);
    expectRefused(
      (await gql(SESSIONS).set('Authorization', bearer(token))).body,
      'UNAUTHENTICATED',
    );
  });

  describe('cookie clients: the CSRF rule of REST, by HTTP method', () => {
    it('a cookie POST without X-CSRF-Token gets CSRF_FAILED, queries included', async () => {
      const { cookie } = await newCookieSession(app);
      const response = await gql(ME).set('Cookie', cookie).expect(200);
      expectRefused(response.body, 'CSRF_FAILED');
    });

    it('a cookie POST from a foreign Origin gets CSRF_FAILED even with the token', async () => {
      const { cookie, csrfToken } = await newCookieSession(app);
      const response = await gql(ME)
        .set('Cookie', cookie)
        .set('X-CSRF-Token', csrfToken)
        .set('Origin', 'https://evil.example')
        .expect(200);
      expectRefused(response.body, 'CSRF_FAILED');
    });

    it('with X-CSRF-Token the query answers, and no cookie is rotated or set', async () => {
      const { cookie, csrfToken, user } = await newCookieSession(app);
      const response = await gql(ME)
        .set('Cookie', cookie)
        .set('X-CSRF-Token', csrfToken)
        .expect(200);
      expect(response.body.data.me.user.email).toBe(user.email);
      expect(response.headers['set-cookie']).toBeUndefined();
      expect(response.headers['cache-control']).toBe('no-store');
    });

    it('mutations over GET are refused, and nothing is revoked', async () => {
      const { cookie, token } = await newCookieSession(app);
      const response = await app
        .http()
        .get('/graphql')
        .query({ query: 'mutation { revokeOtherSessions }' })
        .set('Cookie', cookie)
        .set('Apollo-Require-Preflight', 'true');
      expect(response.status).toBe(405);
      expect(response.body.data ?? null).toBeNull();
      await app.http().get('/me').set('Cookie', `__Host-sid=${token}`).expect(200);
    });
  });

  describe('mutations, with the rules of their REST twins', () => {
    it('revokeSession ends one of the caller’s sessions; that token stops working', async () => {
      const user = await registerUser(app);
      const victim = await loginWithToken(app, user);
      const caller = await loginWithToken(app, user);
      const response = await gql('mutation ($id: ID!) { revokeSession(id: $id) }', {
        id: victim.sessionId,
      })
        .set('Authorization', bearer(caller.token))
        .expect(200);
      expect(response.body).toEqual({ data: { revokeSession: true } });
      await app.http().get('/me').set('Authorization', bearer(victim.token)).expect(401);
    });

    it.each([
      ['someone else’s session', 'other'],
      ['an unknown id', '00000000-0000-4000-8000-000000000000'],
      ['a malformed id', 'not-a-uuid'],
    ])('revokeSession of %s is NOT_FOUND, and nothing ends', async (_label, target) => {
      const stranger = await newBearerSession(app);
      const caller = await newBearerSession(app);
      const id = target === 'other' ? stranger.sessionId : target;
      const response = await gql('mutation ($id: ID!) { revokeSession(id: $id) }', { id })
        .set('Authorization', bearer(caller.token))
        .expect(200);
      expectRefused(response.body, 'NOT_FOUND');
      await app.http().get('/me').set('Authorization', bearer(stranger.token)).expect(200);
    });

    it('revokeOtherSessions answers how many ended and keeps the caller’s own', async () => {
      const user = await registerUser(app);
      const a = await loginWithToken(app, user);
      const b = await loginWithToken(app, user);
      const caller = await loginWithToken(app, user);
      const response = await gql('mutation { revokeOtherSessions }')
        .set('Authorization', bearer(caller.token))
        .expect(200);
      expect(response.body).toEqual({ data: { revokeOtherSessions: 2 } });
      for (const ended of [a, b]) {
        await app.http().get('/me').set('Authorization', bearer(ended.token)).expect(401);
      }
      await app.http().get('/me').set('Authorization', bearer(caller.token)).expect(200);
    });

    it('a stale session gets REAUTH_REQUIRED and ends nothing', async () => {
      const user = await registerUser(app);
      const other = await loginWithToken(app, user);
      const caller = await loginWithToken(app, user);
      await sleep(2_100); // past reauthSeconds
      const response = await gql('mutation { revokeOtherSessions }').set(
        'Authorization',
        bearer(caller.token),
      );
      expectRefused(response.body, 'REAUTH_REQUIRED');
      await app.http().get('/me').set('Authorization', bearer(other.token)).expect(200);
    });
  });

  it('a query error never carries a stack trace or internals', async () => {
    const { token } = await newBearerSession(app);
    const response = await gql('query { nope }').set('Authorization', bearer(token));
    expect(response.status).toBe(400);
    expect(response.body.errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(JSON.stringify(response.body)).not.toMatch(/stacktrace/);
  });
});
