import {
  bearer,
  findSetCookie,
  loginWithCookie,
  registerUser,
  SESSION_COOKIE,
  type TestUser,
  uniqueEmail,
} from '../support/auth-helpers';
import { expectErrorBody } from '../support/error-shape';
import { startTestApp, type TestApp } from '../support/test-app';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const sessionSummary = {
  id: expect.stringMatching(/^[0-9a-f-]{36}$/),
  createdAt: expect.stringMatching(ISO_DATE),
  expiresAt: expect.stringMatching(ISO_DATE),
  absoluteExpiresAt: expect.stringMatching(ISO_DATE),
};

describe('POST /auth/login and POST /auth/token', () => {
  let app: TestApp;
  let user: TestUser;

  beforeAll(async () => {
    app = await startTestApp();
    user = await registerUser(app);
  });

  afterAll(async () => {
    await app.close();
  });

  it('login answers 200 { user, session, csrfToken } and sets the session cookie', async () => {
    const response = await app
      .http()
      .post('/auth/login')
      .send({ email: user.email, password: user.password })
      .expect(200);
    expect(response.body).toEqual({
      user: { id: user.id, email: user.email },
      session: sessionSummary,
      csrfToken: expect.any(String),
    });
    expect(findSetCookie(response.headers)).toBeDefined();
  });

  it('login accepts the email in any case', async () => {
    await app
      .http()
      .post('/auth/login')
      .send({ email: user.email.toUpperCase(), password: user.password })
      .expect(200);
  });

  it('token answers 200 { token, token_type: Bearer, session } with no cookie, and the token works as Bearer', async () => {
    const response = await app
      .http()
      .post('/auth/token')
      .send({ email: user.email, password: user.password })
      .expect(200);
    expect(response.body).toEqual({
      token: expect.any(String),
      token_type: 'Bearer',
      session: sessionSummary,
    });
    expect(response.headers['set-cookie']).toBeUndefined();
    expect(response.headers['cache-control']).toBe('no-store');
    const me = await app.http().get('/me').set('Authorization', bearer(response.body.token));
    expect(me.status).toBe(200);
    expect(me.body.session.id).toBe(response.body.session.id);
  });

  it('issues a 32-byte base64url token', async () => {
    const { token } = await loginWithCookie(app, user);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  describe.each(['/auth/login', '/auth/token'])('%s failures', (path) => {
    it('answers the same 401 invalid_credentials for a wrong password and an unknown email', async () => {
      const wrongPassword = await app
        .http()
        .post(path)
        .send({ email: user.email, password: 'wrong password' })
        .expect(401);
      const unknownEmail = await app
        .http()
        .post(path)
        .send({ email: uniqueEmail(), password: user.password })
        .expect(401);
      expectErrorBody(wrongPassword.body, 401, 'invalid_credentials');
      expect(unknownEmail.body).toEqual(wrongPassword.body);
      expect(wrongPassword.headers['set-cookie']).toBeUndefined();
    });

    it.each([
      ['an empty body', {}],
      ['a missing password', { email: 'someone@example.test' }],
      ['an invalid email', { email: 'nope', password: 'whatever1' }],
      ['a password that is not a string', { email: 'someone@example.test', password: 12345678 }],
      ['an unknown field', { email: 'someone@example.test', password: 'whatever1', x: 1 }],
    ])('answers 400 validation_failed for %s', async (_case, body) => {
      const response = await app.http().post(path).send(body).expect(400);
      expectErrorBody(response.body, 400, 'validation_failed');
    });
  });

  it('an unknown email costs about as much as a wrong password (argon2 runs either way)', async () => {
    const time = async (email: string) => {
      const started = process.hrtime.bigint();
      await app.http().post('/auth/login').send({ email, password: 'wrong password' }).expect(401);
      return Number(process.hrtime.bigint() - started) / 1e6;
    };
    const known: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < 5; i += 1) {
      known.push(await time(user.email));
      unknown.push(await time(uniqueEmail()));
    }
    const median = (values: number[]) => values.sort((a, b) => a - b)[2];
    // Without the dummy verification an unknown email answers in ~1 ms instead of tens of ms.
    expect(median(unknown)).toBeGreaterThan(median(known) * 0.5);
  });

  describe('session fixation', () => {
    it('never adopts a planted cookie: login issues a new session and ends the one it was sent with', async () => {
      const victim = await registerUser(app);
      const attackerUser = await registerUser(app);
      const attacker = await loginWithCookie(app, attackerUser);
      const response = await app
        .http()
        .post('/auth/login')
        .set('Cookie', attacker.cookie)
        .send({ email: victim.email, password: victim.password })
        .expect(200);
      const issued = findSetCookie(response.headers);
      expect(issued).toBeDefined();
      expect(issued).not.toContain(attacker.token);
      expect(response.body.session.id).not.toBe(attacker.sessionId);
      // The planted session was not upgraded to the victim: it ended (reason replaced), still
      // the attacker's (OWASP: end any existing session before authenticating).
      await app.http().get('/me').set('Cookie', attacker.cookie).expect(401);
      const [row] = await app.dataSource.query<Array<{ user_id: string; end_reason: string }>>(
        'SELECT user_id, end_reason FROM sessions WHERE id = $1',
        [attacker.sessionId],
      );
      expect(row).toEqual({ user_id: attackerUser.id, end_reason: 'replaced' });
    });

    it('a failed login ends nothing: the session it was sent with stays live', async () => {
      const own = await loginWithCookie(app, user);
      await app
        .http()
        .post('/auth/login')
        .set('Cookie', own.cookie)
        .send({ email: user.email, password: 'not the password at all' })
        .expect(401);
      await app.http().get('/me').set('Cookie', own.cookie).expect(200);
    });

    it('ignores a planted bearer token the same way', async () => {
      const planted = await loginWithCookie(app, await registerUser(app));
      const response = await app
        .http()
        .post('/auth/token')
        .set('Authorization', bearer(planted.token))
        .send({ email: user.email, password: user.password })
        .expect(200);
      expect(response.body.token).not.toBe(planted.token);
      expect(response.body.session.id).not.toBe(planted.sessionId);
      // A bearer token presented at login ends like a cookie.
      await app.http().get('/me').set('Authorization', bearer(planted.token)).expect(401);
    });

    it('ignores a garbage cookie at login', async () => {
      await app
        .http()
        .post('/auth/login')
        .set('Cookie', `${SESSION_COOKIE}=garbage`)
        .send({ email: user.email, password: user.password })
        .expect(200);
    });
  });
});
