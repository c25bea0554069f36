import { loginWithCookie, registerUser, SESSION_COOKIE } from '../support/auth-helpers';
import { startTestApp, type TestApp } from '../support/test-app';

/** Parses `a=b; Flag; K=V` into a case-insensitive attribute map (flags map to ''). */
function attributes(setCookie: string): Map<string, string> {
  const [, ...parts] = setCookie.split(';').map((part) => part.trim());
  return new Map(
    parts.map((part) => {
      const eq = part.indexOf('=');
      return eq === -1
        ? [part.toLowerCase(), '']
        : [part.slice(0, eq).toLowerCase(), part.slice(eq + 1)];
    }),
  );
}

describe('the session cookie', () => {
  const absoluteTimeoutSeconds = 3600;
  let app: TestApp;
  let setCookie: string;
  let loginHeaders: Record<string, string>;

  beforeAll(async () => {
    app = await startTestApp({ session: { idleTimeoutSeconds: 600, absoluteTimeoutSeconds } });
    const user = await registerUser(app);
    const response = await app
      .http()
      .post('/auth/login')
      .send({ email: user.email, password: user.password })
      .expect(200);
    loginHeaders = response.headers;
    setCookie = (response.headers['set-cookie'] as unknown as string[])[0];
  });

  afterAll(async () => {
    await app.close();
  });

  it('is named with the __Host- prefix', () => {
    expect(setCookie.startsWith(`${SESSION_COOKIE}=`)).toBe(true);
  });

  it('is HttpOnly, Secure, SameSite=Lax, Path=/ and has no Domain', () => {
    const attrs = attributes(setCookie);
    expect(attrs.has('httponly')).toBe(true);
    expect(attrs.has('secure')).toBe(true);
    expect(attrs.get('samesite')).toBe('Lax');
    expect(attrs.get('path')).toBe('/');
    expect(attrs.has('domain')).toBe(false);
  });

  it('lives no longer than the absolute timeout', () => {
    const attrs = attributes(setCookie);
    const maxAge = Number(attrs.get('max-age'));
    expect(maxAge).toBeGreaterThan(absoluteTimeoutSeconds - 60);
    expect(maxAge).toBeLessThanOrEqual(absoluteTimeoutSeconds);
    const expires = attrs.get('expires');
    if (expires !== undefined) {
      expect(Date.parse(expires)).toBeLessThanOrEqual(Date.now() + absoluteTimeoutSeconds * 1000);
    }
  });

  it('comes with Cache-Control: no-store', () => {
    expect(loginHeaders['cache-control']).toBe('no-store');
  });

  it('carries only the token: the value is the same 43-character base64url string', () => {
    expect(setCookie.split(';')[0]).toMatch(new RegExp(`^${SESSION_COOKIE}=[A-Za-z0-9_-]{43}$`));
  });

  it('is distinct for every login of the same user', async () => {
    const user = await registerUser(app);
    const first = await loginWithCookie(app, user);
    const second = await loginWithCookie(app, user);
    expect(first.token).not.toBe(second.token);
    expect(first.sessionId).not.toBe(second.sessionId);
  });

  it('is refused when two different values are sent under its name (cookie tossing)', async () => {
    const user = await registerUser(app);
    const { cookie } = await loginWithCookie(app, user);
    await app.http().get('/me').set('Cookie', cookie).expect(200);
    await app
      .http()
      .get('/me')
      .set('Cookie', `${cookie}; ${SESSION_COOKIE}=${'C'.repeat(43)}`)
      .expect(401);
  });
});
