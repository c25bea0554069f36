import { createHash, randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { registerUser, SESSION_COOKIE, type TestUser } from '../support/auth-helpers';
import { io } from 'socket.io-client';
import { DpopClient } from '../support/dpop-client';
import { expectErrorBody } from '../support/error-shape';
import { startTestApp, type TestApp } from '../support/test-app';

/**
 * DPoP (RFC 9449) on the bearer transport, SESSION_DPOP=optional (the default): a token requested
 * with a proof is bound to the proof's key, and from then on works only with a fresh proof by that
 * key for each request. Proofs come from the `dpop` package (what an API client would use) or,
 * for the bad ones, are signed by hand.
 */
describe('DPoP-bound bearer tokens', () => {
  let app: TestApp;
  let baseUrl: string;
  let user: TestUser;

  beforeAll(async () => {
    app = await startTestApp();
    const { port } = app.app.getHttpServer().address() as AddressInfo;
    baseUrl = `http://127.0.0.1:${port}`;
    user = await registerUser(app);
  });
  afterAll(async () => app?.close());

  /** Signs in with a proof by `client`: answers the bound token. */
  async function boundToken(client: DpopClient): Promise<string> {
    const response = await app
      .http()
      .post('/auth/token')
      .set('DPoP', await client.proof('POST', '/auth/token'))
      .send({ email: user.email, password: user.password })
      .expect(200);
    expect(response.body.token_type).toBe('DPoP');
    return response.body.token as string;
  }

  function me(token: string, proof?: string, scheme = 'DPoP') {
    const request = app.http().get('/me').set('Authorization', `${scheme} ${token}`);
    return proof === undefined ? request : request.set('DPoP', proof);
  }

  function expectDpopRefusal(response: {
    status: number;
    body: unknown;
    headers: Record<string, string>;
  }) {
    expect(response.status).toBe(401);
    expectErrorBody(response.body, 401, 'invalid_dpop_proof');
    expect(response.headers['www-authenticate']).toMatch(
      /^DPoP error="invalid_dpop_proof", algs="[^"]*ES256/,
    );
  }

  it.each(['ES256', 'RS256', 'PS256', 'Ed25519'] as const)(
    'binds a token to a %s key: each request with a fresh proof by it passes',
    async (alg) => {
      const client = await DpopClient.create(baseUrl, alg);
      const token = await boundToken(client);
      for (let i = 0; i < 3; i++) {
        const response = await me(token, await client.proof('GET', '/me', token)).expect(200);
        expect(response.body.user.email).toBe(user.email);
      }
    },
  );

  it('answers token_type Bearer, and an unbound token as before, without a proof', async () => {
    const response = await app
      .http()
      .post('/auth/token')
      .send({ email: user.email, password: user.password })
      .expect(200);
    expect(response.body.token_type).toBe('Bearer');
    await me(response.body.token as string, undefined, 'Bearer').expect(200);
    // An unbound token cannot pass as DPoP: the scheme promises a binding it does not have.
    const client = await DpopClient.create(baseUrl);
    const token = response.body.token as string;
    expectDpopRefusal(await me(token, await client.proof('GET', '/me', token)));
  });

  it('refuses the stolen token alone: as Bearer, as DPoP without a proof, with a proof by another key', async () => {
    const owner = await DpopClient.create(baseUrl);
    const thief = await DpopClient.create(baseUrl);
    const token = await boundToken(owner);
    expectDpopRefusal(await me(token, undefined, 'Bearer'));
    expectDpopRefusal(await me(token));
    expectDpopRefusal(await me(token, await thief.proof('GET', '/me', token)));
    // The owner is not affected.
    await me(token, await owner.proof('GET', '/me', token)).expect(200);
  });

  it('refuses the stolen bound token sent as a session cookie instead', async () => {
    const token = await boundToken(await DpopClient.create(baseUrl));
    const asCookie = await app.http().get('/me').set('Cookie', `${SESSION_COOKIE}=${token}`);
    expectDpopRefusal(asCookie);
  });

  it('refuses a replayed proof, also when the copies race', async () => {
    const client = await DpopClient.create(baseUrl);
    const token = await boundToken(client);
    const proof = await client.proof('GET', '/me', token);
    const answers = await Promise.all(Array.from({ length: 10 }, () => me(token, proof)));
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, ...Array(9).fill(401)]);
  });

  it.each([
    ['the wrong method', (c: DpopClient, token: string) => c.proof('POST', '/me', token)],
    ['the wrong URL', (c: DpopClient, token: string) => c.proof('GET', '/sessions', token)],
    [
      'another host',
      (c: DpopClient, token: string) =>
        c.custom({ htm: 'GET', htu: 'https://evil.example/me', ath: athOf(token) }),
    ],
    [
      'a stale iat',
      (c: DpopClient, token: string) =>
        c.custom({ htm: 'GET', htu: c.url('/me'), ath: athOf(token), iat: now() - 120 }),
    ],
    [
      'an iat in the future',
      (c: DpopClient, token: string) =>
        c.custom({ htm: 'GET', htu: c.url('/me'), ath: athOf(token), iat: now() + 120 }),
    ],
    ['no ath', (c: DpopClient) => c.proof('GET', '/me')],
    [
      'the ath of another token',
      (c: DpopClient) => c.custom({ htm: 'GET', htu: c.url('/me'), ath: athOf('another-token') }),
    ],
    [
      'no jti',
      (c: DpopClient, token: string) =>
        c.custom({ htm: 'GET', htu: c.url('/me'), ath: athOf(token), jti: undefined }),
    ],
    [
      'typ JWT',
      (c: DpopClient, token: string) =>
        c.custom({ htm: 'GET', htu: c.url('/me'), ath: athOf(token) }, { typ: 'JWT' }),
    ],
    [
      'alg none',
      (c: DpopClient, token: string) =>
        c.unsigned({ htm: 'GET', htu: c.url('/me'), ath: athOf(token) }),
    ],
    [
      'HS256',
      (c: DpopClient, token: string) =>
        c.symmetric({ htm: 'GET', htu: c.url('/me'), ath: athOf(token) }),
    ],
    ['garbage', () => Promise.resolve('not.a.jwt')],
  ])('refuses a proof with %s', async (_label, make) => {
    const client = await DpopClient.create(baseUrl);
    const token = await boundToken(client);
    expectDpopRefusal(await me(token, await make(client, token)));
    // Two DPoP headers are refused too (RFC 9449 §4.3: exactly one).
    const valid = await client.proof('GET', '/me', token);
    expectDpopRefusal(
      await app
        .http()
        .get('/me')
        .set('Authorization', `DPoP ${token}`)
        .set('DPoP', [valid, valid] as unknown as string),
    );
  });

  it('refuses to issue a token for a bad proof, and creates no session for it', async () => {
    const client = await DpopClient.create(baseUrl);
    const wrongUrl = await client.proof('POST', '/auth/login');
    const response = await app
      .http()
      .post('/auth/token')
      .set('DPoP', wrongUrl)
      .send({ email: user.email, password: user.password });
    expectDpopRefusal(response);
    expect(response.body.token).toBeUndefined();
  });

  it('refuses a proof whose header carries the private key, and issues for the public one', async () => {
    const { exportJWK, generateKeyPair, SignJWT } = await import('jose');
    const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
    const sign = async (jwk: object) =>
      new SignJWT({ jti: randomUUID(), iat: now(), htm: 'POST', htu: `${baseUrl}/auth/token` })
        .setProtectedHeader({ alg: 'ES256', typ: 'dpop+jwt', jwk })
        .sign(privateKey);
    const credentials = { email: user.email, password: user.password };
    const leaked = await app
      .http()
      .post('/auth/token')
      .set('DPoP', await sign(await exportJWK(privateKey)))
      .send(credentials);
    expectDpopRefusal(leaked);
    await app
      .http()
      .post('/auth/token')
      .set('DPoP', await sign(await exportJWK(publicKey)))
      .send(credentials)
      .expect(200);
  });

  it('refuses a DPoP-bound token on the socket.io gateway, which has no proof to offer', async () => {
    const client = await DpopClient.create(baseUrl);
    const token = await boundToken(client);
    const socket = io(`${baseUrl}/account`, {
      transports: ['websocket'],
      reconnection: false,
      auth: { token },
    });
    try {
      const error = await new Promise<Error & { data?: { code: string } }>((resolve, reject) => {
        socket.once('connect_error', resolve);
        socket.once('session', () => reject(new Error('the handshake was admitted')));
      });
      expect(error.data).toEqual({ code: 'invalid_dpop_proof' });
    } finally {
      socket.close();
    }
  });

  it('keeps the binding through rotation: the re-authenticated token is DPoP-bound as well', async () => {
    const client = await DpopClient.create(baseUrl);
    const token = await boundToken(client);
    const rotated = await app
      .http()
      .post('/auth/reauth')
      .set('Authorization', `DPoP ${token}`)
      .set('DPoP', await client.proof('POST', '/auth/reauth', token))
      .send({ password: user.password })
      .expect(200);
    expect(rotated.body.token_type).toBe('DPoP');
    const fresh = rotated.body.token as string;
    expectDpopRefusal(await me(fresh, undefined, 'Bearer'));
    await me(fresh, await client.proof('GET', '/me', fresh)).expect(200);
  });
});

describe('SESSION_DPOP=required', () => {
  let app: TestApp;
  let baseUrl: string;

  beforeAll(async () => {
    app = await startTestApp({ session: { dpop: 'required' } });
    const { port } = app.app.getHttpServer().address() as AddressInfo;
    baseUrl = `http://127.0.0.1:${port}`;
  });
  afterAll(async () => app?.close());

  it('refuses to issue a bearer token without a proof, and issues a bound one with it', async () => {
    const user = await registerUser(app);
    const credentials = { email: user.email, password: user.password };
    const refused = await app.http().post('/auth/token').send(credentials);
    expect(refused.status).toBe(401);
    expectErrorBody(refused.body, 401, 'invalid_dpop_proof');
    expect(refused.headers['www-authenticate']).toMatch(/^DPoP /);
    const client = await DpopClient.create(baseUrl);
    const issued = await app
      .http()
      .post('/auth/token')
      .set('DPoP', await client.proof('POST', '/auth/token'))
      .send(credentials)
      .expect(200);
    expect(issued.body.token_type).toBe('DPoP');
  });
});

function now(): number {
  return Math.floor(Date.now() / 1000);
}

function athOf(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

describe('SESSION_DPOP_NONCE_SECRET: server nonces', () => {
  let app: TestApp;
  let baseUrl: string;

  beforeAll(async () => {
    app = await startTestApp({ session: { dpopNonceSecret: 'n'.repeat(32) } });
    const { port } = app.app.getHttpServer().address() as AddressInfo;
    baseUrl = `http://127.0.0.1:${port}`;
  });
  afterAll(async () => app?.close());

  it('asks for the nonce (use_dpop_nonce, DPoP-Nonce), then accepts proofs that carry it', async () => {
    const user = await registerUser(app);
    const credentials = { email: user.email, password: user.password };
    const client = await DpopClient.create(baseUrl);
    const asked = await app
      .http()
      .post('/auth/token')
      .set('DPoP', await client.proof('POST', '/auth/token'))
      .send(credentials);
    expect(asked.status).toBe(401);
    expectErrorBody(asked.body, 401, 'use_dpop_nonce');
    expect(asked.headers['www-authenticate']).toMatch(/^DPoP error="use_dpop_nonce"/);
    const nonce = asked.headers['dpop-nonce'];
    expect(nonce).toMatch(/^[0-9a-z]+\.[\w-]{43}$/);

    const issued = await app
      .http()
      .post('/auth/token')
      .set('DPoP', await client.proof('POST', '/auth/token', undefined, nonce))
      .send(credentials)
      .expect(200);
    const token = issued.body.token as string;
    const me = (proof: string) =>
      app.http().get('/me').set('Authorization', `DPoP ${token}`).set('DPoP', proof);
    const ok = await me(await client.proof('GET', '/me', token, nonce)).expect(200);
    expect(ok.headers['dpop-nonce']).toBe(nonce);
    const forged = await me(
      await client.proof('GET', '/me', token, `${nonce.split('.')[0]}.forged`),
    );
    expect(forged.status).toBe(401);
    expect(forged.body.error).toBe('use_dpop_nonce');
    const none = await me(await client.proof('GET', '/me', token));
    expect(none.body.error).toBe('use_dpop_nonce');
  });
});
