import { randomBytes } from 'node:crypto';
import type { TestApp } from './test-app';

/** Anything with an HTTP client: an in-process TestApp, or a spawned AppProcess. */
export type HttpTarget = Pick<TestApp, 'http'>;

export const SESSION_COOKIE = '__Host-sid';
export const DEFAULT_PASSWORD = 'correct horse battery staple';

export interface TestUser {
  id: string;
  email: string;
  password: string;
}

export interface CookieLogin {
  /** Value for a `Cookie` request header, e.g. `__Host-sid=...`. */
  cookie: string;
  /** The raw token inside the cookie. */
  token: string;
  csrfToken: string;
  sessionId: string;
  /** The Set-Cookie header line of the session cookie, for attribute checks. */
  setCookie: string;
}

export interface TokenLogin {
  token: string;
  sessionId: string;
}

export function uniqueEmail(): string {
  return `user-${randomBytes(6).toString('hex')}@example.test`;
}

export async function registerUser(
  app: HttpTarget,
  email = uniqueEmail(),
  password = DEFAULT_PASSWORD,
): Promise<TestUser> {
  const response = await app.http().post('/auth/register').send({ email, password }).expect(201);
  return { id: response.body.id, email: response.body.email, password };
}

/** The Set-Cookie line for `name` in a response, if any. */
export function findSetCookie(
  headers: Record<string, unknown>,
  name = SESSION_COOKIE,
): string | undefined {
  const raw = headers['set-cookie'];
  const lines = Array.isArray(raw) ? raw.map(String) : typeof raw === 'string' ? [raw] : [];
  return lines.find((line) => line.startsWith(`${name}=`));
}

/** The cookie's value in a Set-Cookie line. */
export function cookieValue(setCookie: string): string {
  return setCookie.slice(setCookie.indexOf('=') + 1).split(';')[0];
}

export async function loginWithCookie(app: HttpTarget, user: TestUser): Promise<CookieLogin> {
  const response = await app
    .http()
    .post('/auth/login')
    .send({ email: user.email, password: user.password })
    .expect(200);
  const setCookie = findSetCookie(response.headers);
  if (setCookie === undefined) throw new Error('login answered without a session cookie');
  const token = cookieValue(setCookie);
  return {
    cookie: `${SESSION_COOKIE}=${token}`,
    token,
    csrfToken: response.body.csrfToken,
    sessionId: response.body.session.id,
    setCookie,
  };
}

export async function loginWithToken(app: HttpTarget, user: TestUser): Promise<TokenLogin> {
  const response = await app
    .http()
    .post('/auth/token')
    .send({ email: user.email, password: user.password })
    .expect(200);
  return { token: response.body.token, sessionId: response.body.session.id };
}

export function bearer(token: string): string {
  return `Bearer ${token}`;
}

/** Registers a fresh user and logs them in with a cookie. */
export async function newCookieSession(app: HttpTarget): Promise<{ user: TestUser } & CookieLogin> {
  const user = await registerUser(app);
  return { user, ...(await loginWithCookie(app, user)) };
}

/** Registers a fresh user and logs them in for a bearer token. */
export async function newBearerSession(app: HttpTarget): Promise<{ user: TestUser } & TokenLogin> {
  const user = await registerUser(app);
  return { user, ...(await loginWithToken(app, user)) };
}
