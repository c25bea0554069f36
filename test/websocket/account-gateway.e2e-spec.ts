import type { AddressInfo } from 'node:net';
import { io, type Socket } from 'socket.io-client';
import {
  bearer,
  loginWithCookie,
  loginWithToken,
  newBearerSession,
  newCookieSession,
  registerUser,
} from '../support/auth-helpers';
import { startTestApp, type TestApp } from '../support/test-app';

interface Ended {
  reason: string;
}

describe('socket.io /account: live sessions', () => {
  let app: TestApp;
  let origin: string;
  const open: Socket[] = [];

  beforeAll(async () => {
    app = await startTestApp({ session: { maxPerUser: 10, idleTimeoutSeconds: 2 } });
    const { port } = app.app.getHttpServer().address() as AddressInfo;
    origin = `http://127.0.0.1:${port}`;
  });

  afterEach(() => {
    for (const socket of open.splice(0)) socket.disconnect();
  });

  afterAll(async () => {
    await app.close();
  });

  function connect(options: { cookie?: string; token?: string; origin?: string }): Socket {
    const socket = io(`${origin}/account`, {
      transports: ['websocket'],
      reconnection: false,
      auth: options.token ? { token: options.token } : {},
      extraHeaders: {
        ...(options.cookie && { Cookie: options.cookie }),
        Origin: options.origin ?? origin,
      },
    });
    open.push(socket);
    return socket;
  }

  function connected(socket: Socket): Promise<{ id: string; userId: string }> {
    return new Promise((resolve, reject) => {
      socket.once('session', resolve);
      socket.once('connect_error', reject);
    });
  }

  function refusal(socket: Socket): Promise<Error & { data?: { code: string } }> {
    return new Promise((resolve, reject) => {
      socket.once('connect_error', resolve);
      socket.once('session', () => reject(new Error('the handshake was admitted')));
    });
  }

  function ended(socket: Socket): Promise<{ ended: Ended; ms: number }> {
    const started = Date.now();
    return new Promise((resolve) => {
      let end: Ended | undefined;
      socket.once('session.ended', (payload: Ended) => (end = payload));
      socket.once('disconnect', () => resolve({ ended: end as Ended, ms: Date.now() - started }));
    });
  }

  it('a cookie handshake from the app’s own origin gets `session` { id, userId }', async () => {
    const { cookie, sessionId, user } = await newCookieSession(app);
    const me = await app.http().get('/me').set('Cookie', cookie).expect(200);
    expect(await connected(connect({ cookie }))).toEqual({
      id: sessionId,
      userId: me.body.user.id,
    });
    expect(user.email).toBe(me.body.user.email);
  });

  it('a bearer client authenticates with auth: { token }', async () => {
    const { token, sessionId } = await newBearerSession(app);
    expect((await connected(connect({ token }))).id).toBe(sessionId);
  });

  it.each([
    ['no credential', {}],
    ['an unknown token', { token: 'A'.repeat(43) }],
    ['a garbage cookie', { cookie: '__Host-sid=garbage' }],
  ])('refuses %s with connect_error "unauthorized"', async (_label, options) => {
    expect((await refusal(connect(options))).message).toBe('unauthorized');
  });

  it('refuses a cookie handshake from a foreign Origin (cross-site WebSocket hijacking)', async () => {
    const { cookie } = await newCookieSession(app);
    const error = await refusal(connect({ cookie, origin: 'https://evil.example' }));
    expect(error.message).toBe('unauthorized');
    expect(error.data).toEqual({ code: 'csrf_failed' });
  });

  it('a bearer handshake is not bound to an origin (browsers never attach it on their own)', async () => {
    const { token } = await newBearerSession(app);
    await connected(connect({ token, origin: 'https://elsewhere.example' }));
  });

  it('pushes a new sign-in elsewhere as session.event, without any token', async () => {
    const user = await registerUser(app);
    const first = await loginWithToken(app, user);
    const socket = connect({ token: first.token });
    await connected(socket);
    const pushed = new Promise<Record<string, unknown>>((resolve) =>
      socket.on('session.event', (event: Record<string, unknown>) => {
        if (event.type === 'session.created') resolve(event);
      }),
    );
    const second = await loginWithToken(app, user);
    const event = await pushed;
    expect(event).toEqual({
      type: 'session.created',
      sessionId: second.sessionId,
      reason: null,
      at: expect.any(String),
    });
    expect(JSON.stringify(event)).not.toContain(second.token);
  });

  it.each([
    ['logout', 'logout'],
    ['revocation from another device', 'user'],
    ['a password change', 'password_change'],
    ['deleting the account from another device', 'user'],
  ])('%s: session.ended { reason } and disconnect within 1 s', async (label, reason) => {
    const user = await registerUser(app);
    const cookieLogin = await loginWithCookie(app, user);
    const other = await loginWithToken(app, user);
    const socket = connect({ cookie: cookieLogin.cookie });
    await connected(socket);
    const closing = ended(socket);
    if (label === 'logout') {
      await app
        .http()
        .post('/auth/logout')
        .set('Cookie', cookieLogin.cookie)
        .set('X-CSRF-Token', cookieLogin.csrfToken)
        .expect(204);
    } else if (label === 'deleting the account from another device') {
      await app
        .http()
        .delete('/account')
        .set('Authorization', bearer(other.token))
        .send({ password: user.password })
        .expect(204);
    } else if (label === 'a password change') {
      await app
        .http()
        .post('/auth/password')
        .set('Authorization', bearer(other.token))
        .send({ currentPassword: user.password, newPassword: 'another long passphrase 2' })
        .expect(200);
    } else {
      await app
        .http()
        .delete(`/sessions/${cookieLogin.sessionId}`)
        .set('Authorization', bearer(other.token))
        .expect(204);
    }
    const { ended: end, ms } = await closing;
    expect(end).toEqual({ reason });
    expect(ms).toBeLessThan(1000);
  });

  it('idle expiry without any request on the socket: session.ended { reason: "idle" }', async () => {
    const { token } = await newBearerSession(app);
    const socket = connect({ token });
    await connected(socket);
    const { ended: end } = await ended(socket);
    expect(end).toEqual({ reason: 'idle' });
    await app.http().get('/me').set('Authorization', bearer(token)).expect(401);
  });
});

/*
 * A separate app (SESSION_ANOMALY_ACTION=revoke) in its own block: passport's strategies are
 * process-global, so it starts only once the app above has closed.
 */
describe('socket.io /account: anomaly revocation', () => {
  let app: TestApp;
  let origin: string;

  beforeAll(async () => {
    app = await startTestApp({ session: { anomalyAction: 'revoke' } });
    const { port } = app.app.getHttpServer().address() as AddressInfo;
    origin = `http://127.0.0.1:${port}`;
  });

  afterAll(async () => {
    await app.close();
  });

  it('a request from another User-Agent revokes the session: session.ended { reason: "anomaly" }', async () => {
    const user = await registerUser(app);
    const login = await app
      .http()
      .post('/auth/token')
      .set('User-Agent', 'agent-a')
      .send({ email: user.email, password: user.password })
      .expect(200);
    const token = login.body.token as string;
    const socket = io(`${origin}/account`, {
      transports: ['websocket'],
      reconnection: false,
      auth: { token },
      extraHeaders: { 'User-Agent': 'agent-a' },
    });
    try {
      await new Promise((resolve, reject) => {
        socket.once('session', resolve);
        socket.once('connect_error', reject);
      });
      const closing = new Promise<{ reason?: string }>((resolve) => {
        let end: { reason?: string } = {};
        socket.once('session.ended', (payload: { reason: string }) => (end = payload));
        socket.once('disconnect', () => resolve(end));
      });
      await app
        .http()
        .get('/me')
        .set('Authorization', bearer(token))
        .set('User-Agent', 'agent-b')
        .expect(401);
      expect(await closing).toEqual({ reason: 'anomaly' });
    } finally {
      socket.close();
    }
  });
});
