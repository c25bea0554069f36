import type { AddressInfo } from 'node:net';
import { generateKeyPair, type JWK, exportJWK, SignJWT } from 'jose';
import {
  cookieValue,
  findSetCookie,
  registerUser,
  SESSION_COOKIE,
  type TestUser,
} from '../support/auth-helpers';
import { expectErrorBody } from '../support/error-shape';
import type { AuditEvent } from '../support/security-helpers';
import { startTestApp, type TestApp } from '../support/test-app';
import { createTestDatabase, type TestDatabase } from '../support/test-database';
import { sleep, waitFor } from '../support/wait';

type KeyPair = Awaited<ReturnType<typeof generateKeyPair>>;

const SECRET = 'dbsc-test-secret-of-at-least-32-characters';
/** Short, so a test can outlive a bound cookie (the app's own minimum is 60 s). */
const COOKIE_SECONDS = 2;

/**
 * The browser's side of Device Bound Session Credentials, played by hand: a key pair made with
 * jose, proofs signed like Chromium's (`typ: dbsc+jwt`, the public key in the registration proof's
 * header, `jti` = the challenge). SESSION_DBSC=true with a 2-second bound cookie.
 */
class DbscBrowser {
  cookie = '';
  csrfToken = '';
  sessionId = '';

  private constructor(
    readonly alg: 'ES256' | 'RS256',
    private readonly privateKey: KeyPair['privateKey'],
    readonly publicJwk: JWK,
  ) {}

  static async create(alg: 'ES256' | 'RS256' = 'ES256'): Promise<DbscBrowser> {
    const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
    return new DbscBrowser(alg, privateKey, await exportJWK(publicKey));
  }

  /** The registration proof: the public key in the header. */
  registration(challenge: string): Promise<string> {
    return new SignJWT({ jti: challenge })
      .setProtectedHeader({ alg: this.alg, typ: 'dbsc+jwt', jwk: this.publicJwk })
      .sign(this.privateKey);
  }

  /** A refresh proof: no key in the header (the server has it). */
  refreshProof(challenge: string): Promise<string> {
    return new SignJWT({ jti: challenge })
      .setProtectedHeader({ alg: this.alg, typ: 'dbsc+jwt' })
      .sign(this.privateKey);
  }
}

/** `(ES256 RS256);path="…";challenge="…"` → its parts. */
function parseRegistration(header: string): { algs: string[]; path: string; challenge: string } {
  const match = /^\(([^)]*)\);path="([^"]+)";challenge="([^"]+)"$/.exec(header);
  if (!match) throw new Error(`unexpected Secure-Session-Registration: ${header}`);
  return { algs: match[1].split(' '), path: match[2], challenge: match[3] };
}

function parseChallenge(header: string): { challenge: string; id: string } {
  const match = /^"([^"]+)";id="([^"]+)"$/.exec(header);
  if (!match) throw new Error(`unexpected Secure-Session-Challenge: ${header}`);
  return { challenge: match[1], id: match[2] };
}

describe('Device Bound Session Credentials (protocol level)', () => {
  let database: TestDatabase;
  let app: TestApp;
  let strict: TestApp;
  let origin: string;

  beforeAll(async () => {
    // One database for both apps: passport's strategy registry is process-global, so the last
    // app started answers every app's sign-ins (see startTestApp).
    database = await createTestDatabase();
    const session = { dbsc: true, dbscCookieSeconds: COOKIE_SECONDS, dbscSecret: SECRET };
    app = await startTestApp({ database, session });
    strict = await startTestApp({
      database,
      session: { ...session, onReplay: 'revoke-user-sessions' },
    });
    const { port } = app.app.getHttpServer().address() as AddressInfo;
    origin = `http://127.0.0.1:${port}`;
  });
  afterAll(async () => {
    await app?.close();
    await strict?.close();
    await database?.drop();
  });

  /** A cookie sign-in; answers the registration offer. */
  async function signIn(target: TestApp, browser: DbscBrowser, user: TestUser) {
    const response = await target
      .http()
      .post('/auth/login')
      .send({ email: user.email, password: user.password })
      .expect(200);
    browser.cookie = `${SESSION_COOKIE}=${cookieValue(findSetCookie(response.headers) ?? '')}`;
    browser.csrfToken = response.body.csrfToken as string;
    browser.sessionId = response.body.session.id as string;
    return parseRegistration(response.headers['secure-session-registration']);
  }

  async function register(target: TestApp, browser: DbscBrowser, challenge: string) {
    const response = await target
      .http()
      .post('/auth/dbsc/register')
      .set('Cookie', browser.cookie)
      .set('Secure-Session-Response', `"${await browser.registration(challenge)}"`);
    const setCookie = findSetCookie(response.headers);
    if (response.status === 200 && setCookie) {
      browser.cookie = `${SESSION_COOKIE}=${cookieValue(setCookie)}`;
    }
    return response;
  }

  const refresh = (target: TestApp, sessionId: string, proof?: string) => {
    const request = target
      .http()
      .post('/auth/dbsc/refresh')
      .set('Sec-Secure-Session-Id', `"${sessionId}"`);
    return proof === undefined ? request : request.set('Secure-Session-Response', `"${proof}"`);
  };

  const me = (target: TestApp, cookie: string) => target.http().get('/me').set('Cookie', cookie);

  /** A bound session, registered; answers the browser and the user. */
  async function boundSession(target: TestApp, alg: 'ES256' | 'RS256' = 'ES256') {
    const user = await registerUser(target);
    const browser = await DbscBrowser.create(alg);
    const { challenge } = await signIn(target, browser, user);
    await register(target, browser, challenge).then((r) => expect(r.status).toBe(200));
    return { user, browser };
  }

  const proofFailures = (events: AuditEvent[]) =>
    events.filter((e) => e.type === 'session.device_proof_failed').map((e) => e.reason);

  it.each(['ES256', 'RS256'] as const)(
    '%s: sign-in offers registration; registration binds the key and answers the session instructions with a short cookie',
    async (alg) => {
      const user = await registerUser(app);
      const browser = await DbscBrowser.create(alg);
      const offer = await signIn(app, browser, user);
      expect(offer).toMatchObject({ algs: ['ES256', 'RS256'], path: '/auth/dbsc/register' });
      const response = await register(app, browser, offer.challenge);
      expect(response.status).toBe(200);
      expect(response.body).toEqual({
        session_identifier: browser.sessionId,
        refresh_url: '/auth/dbsc/refresh',
        scope: { origin, include_site: false },
        credentials: [
          {
            type: 'cookie',
            name: SESSION_COOKIE,
            attributes: 'Path=/; HttpOnly; Secure; SameSite=Lax',
          },
        ],
      });
      expect(findSetCookie(response.headers)).toMatch(new RegExp(`Max-Age=${COOKIE_SECONDS};`));
      const sessions = await app.http().get('/sessions').set('Cookie', browser.cookie).expect(200);
      expect(sessions.body[0]).toMatchObject({ id: browser.sessionId, deviceBound: true });
    },
  );

  it.each(['ES256', 'RS256'] as const)(
    '%s: a copied cookie dies with its short life; the key holder refreshes (challenge, proof) and goes on, CSRF token unchanged',
    async (alg) => {
      const { browser } = await boundSession(app, alg);
      const stolen = browser.cookie;
      await me(app, stolen).expect(200);
      await sleep(COOKIE_SECONDS * 1000 + 500);
      expectErrorBody((await me(app, stolen).expect(401)).body, 401, 'unauthorized');
      // Nor does the copied token pass as a bearer token: the lifetime is the token's.
      const asBearer = app
        .http()
        .get('/me')
        .set('Authorization', `Bearer ${stolen.split('=')[1]}`);
      expectErrorBody((await asBearer.expect(401)).body, 401, 'unauthorized');

      const asked = await refresh(app, browser.sessionId).expect(403);
      const { challenge, id } = parseChallenge(asked.headers['secure-session-challenge']);
      expect(id).toBe(browser.sessionId);
      const refreshed = await refresh(app, id, await browser.refreshProof(challenge)).expect(200);
      expect(refreshed.body).toMatchObject({ session_identifier: browser.sessionId });
      const cookie = `${SESSION_COOKIE}=${cookieValue(findSetCookie(refreshed.headers) ?? '')}`;
      await me(app, cookie).expect(200);
      // The page's CSRF token survives the refresh: an unsafe request with it still passes.
      await app
        .http()
        .delete('/sessions')
        .set('Cookie', cookie)
        .set('X-CSRF-Token', browser.csrfToken)
        .expect(204);
    },
  );

  it('refuses a reused challenge, a proof by another key and an unknown session (403), and audits them', async () => {
    const { browser } = await boundSession(app);
    const asked = await refresh(app, browser.sessionId).expect(403);
    const { challenge } = parseChallenge(asked.headers['secure-session-challenge']);
    const proof = await browser.refreshProof(challenge);
    const first = await refresh(app, browser.sessionId, proof).expect(200);
    const cookie = `${SESSION_COOKIE}=${cookieValue(findSetCookie(first.headers) ?? '')}`;
    expectErrorBody(
      (await refresh(app, browser.sessionId, proof).expect(403)).body,
      403,
      'device_proof_failed',
    );

    const thief = await DbscBrowser.create();
    const again = await refresh(app, browser.sessionId).expect(403);
    const fresh = parseChallenge(again.headers['secure-session-challenge']).challenge;
    await refresh(app, browser.sessionId, await thief.refreshProof(fresh)).expect(403);
    await refresh(app, '00000000-0000-4000-8000-000000000000', proof).expect(403);

    const events = await waitFor(
      async () => (await app.http().get('/audit').set('Cookie', cookie)).body as AuditEvent[],
      (list) => proofFailures(list).length >= 2,
    );
    expect(proofFailures(events)).toEqual(
      expect.arrayContaining(['reused_challenge', 'another_key']),
    );
    // Under onReplay: emit the owner goes on.
    await me(app, cookie).expect(200);
  });

  it('refuses a challenge it never issued and a registration by a proof without the key', async () => {
    const user = await registerUser(app);
    const browser = await DbscBrowser.create();
    await signIn(app, browser, user);
    const made = await register(app, browser, 'made-up.challenge.value');
    expect(made.status).toBe(403);
    const unsigned = await app
      .http()
      .post('/auth/dbsc/register')
      .set('Cookie', browser.cookie)
      .set(
        'Secure-Session-Response',
        `"${Buffer.from(JSON.stringify({ alg: 'none', typ: 'dbsc+jwt' })).toString('base64url')}.${Buffer.from('{"jti":"x"}').toString('base64url')}."`,
      );
    expect(unsigned.status).toBe(403);
    const sessions = await app.http().get('/sessions').set('Cookie', browser.cookie).expect(200);
    expect(sessions.body[0].deviceBound).toBe(false);
  });

  it('answers continue: false once the session has ended, so the browser stops refreshing', async () => {
    const { browser } = await boundSession(app);
    await app
      .http()
      .post('/auth/logout')
      .set('Cookie', browser.cookie)
      .set('X-CSRF-Token', browser.csrfToken)
      .expect(204);
    const ended = await refresh(app, browser.sessionId).expect(200);
    expect(ended.body).toEqual({ continue: false });
  });

  it("with onReplay 'revoke-user-sessions', a proof by another key ends the session", async () => {
    const { browser } = await boundSession(strict);
    const asked = await refresh(strict, browser.sessionId).expect(403);
    const { challenge } = parseChallenge(asked.headers['secure-session-challenge']);
    const thief = await DbscBrowser.create();
    await refresh(strict, browser.sessionId, await thief.refreshProof(challenge)).expect(403);
    await me(strict, browser.cookie).expect(401);
    const after = await refresh(strict, browser.sessionId).expect(200);
    expect(after.body).toEqual({ continue: false });
  });

  it('leaves sessions of browsers without DBSC alone: their cookie outlives the bound lifetime', async () => {
    const user = await registerUser(app);
    const browser = await DbscBrowser.create();
    await signIn(app, browser, user); // the offer is ignored, as a browser without DBSC does
    await sleep(COOKIE_SECONDS * 1000 + 500);
    await me(app, browser.cookie).expect(200);
    const sessions = await app.http().get('/sessions').set('Cookie', browser.cookie).expect(200);
    expect(sessions.body[0].deviceBound).toBe(false);
  });

  it('offers no registration to bearer sign-ins', async () => {
    const user = await registerUser(app);
    const response = await app
      .http()
      .post('/auth/token')
      .send({ email: user.email, password: user.password })
      .expect(200);
    expect(response.headers['secure-session-registration']).toBeUndefined();
  });
});
