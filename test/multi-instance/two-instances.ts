import type { AppConfig } from '../../apps/sample-app/src/config/app-config';
import { AppProcess } from '../support/app-process';
import { bearer, loginWithToken, registerUser, type TestUser } from '../support/auth-helpers';
import { DpopClient } from '../support/dpop-client';
import { expectErrorBody } from '../support/error-shape';
import { postgresUrl } from '../support/requires-postgres';
import { createTestDatabase, type TestDatabase } from '../support/test-database';
import { deleteRedisKeys, TEST_REDIS_URL, uniqueRedisPrefix } from '../support/test-redis';

type Store = AppConfig['sessionStore']['kind'];
type Strategy = AppConfig['session']['limitStrategy'];

const LIMIT = 3;
const RACERS = 30;
/** Booting two processes (and building the app, once, when dist is stale) takes a while. */
const START_TIMEOUT_MS = 180_000;

/** Two sample-app processes, A and B, on one database schema (and one Redis key prefix). */
export interface Pair {
  a: AppProcess;
  b: AppProcess;
}

/**
 * Starts A, then B (A runs the migrations, so they never race), with `limitStrategy`; returns a
 * handle whose `pair()` is set once beforeAll is done, and stops both (no orphans) afterwards.
 */
export function useTwoInstances(
  store: Store,
  strategy: Strategy,
  extraEnv: Record<string, string> = {},
): () => Pair {
  let database: TestDatabase;
  let redisPrefix: string | undefined;
  let pair: Pair | undefined;
  const started: AppProcess[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    redisPrefix = store === 'redis' ? uniqueRedisPrefix() : undefined;
    const env: Record<string, string> = {
      DATABASE_URL: postgresUrl(),
      DATABASE_SCHEMA: database.schema,
      SESSION_MAX_PER_USER: String(LIMIT),
      SESSION_LIMIT_STRATEGY: strategy,
      SESSION_STORE: store,
      ...(redisPrefix ? { REDIS_URL: TEST_REDIS_URL, REDIS_KEY_PREFIX: redisPrefix } : {}),
      ...extraEnv,
    };
    started.push(await AppProcess.start(env, 'A'));
    started.push(await AppProcess.start(env, 'B'));
    pair = { a: started[0], b: started[1] };
  }, START_TIMEOUT_MS);

  afterAll(async () => {
    const exits = await Promise.all(started.map((app) => app.stop()));
    await database?.drop();
    if (redisPrefix) await deleteRedisKeys(redisPrefix);
    // A graceful shutdown, not a crash or a kill after the stop timeout.
    expect(exits).toEqual(started.map(() => ({ code: 0, signal: null })));
  }, 30_000);

  return () => {
    if (!pair) throw new Error('the two instances did not start');
    return pair;
  };
}

/** Fires RACERS bearer logins of `user` at once, alternating between A and B. */
export async function raceLogins(
  { a, b }: Pair,
  user: TestUser,
): Promise<{ status: number; token?: string; body: unknown; via: 'A' | 'B' }[]> {
  return Promise.all(
    Array.from({ length: RACERS }, async (_, i) => {
      const app = i % 2 === 0 ? a : b;
      const response = await app
        .http()
        .post('/auth/token')
        .send({ email: user.email, password: user.password });
      return {
        status: response.status,
        token: response.body?.token as string | undefined,
        body: response.body as unknown,
        via: app.name as 'A' | 'B',
      };
    }),
  );
}

/** The ids /sessions lists on `app` for this token, sorted. */
export async function listedIds(app: AppProcess, token: string): Promise<string[]> {
  const response = await app
    .http()
    .get('/sessions')
    .set('Authorization', bearer(token))
    .expect(200);
  return (response.body as { id: string }[]).map((s) => s.id).sort();
}

/** The tokens that still authenticate, each checked on A and on B (both must agree). */
export async function liveTokens({ a, b }: Pair, tokens: string[]): Promise<string[]> {
  const live: string[] = [];
  for (const token of tokens) {
    const [onA, onB] = await Promise.all(
      [a, b].map(async (app) => {
        const response = await app.http().get('/me').set('Authorization', bearer(token));
        expect([200, 401]).toContain(response.status);
        return response.status;
      }),
    );
    expect(onB).toBe(onA);
    if (onA === 200) live.push(token);
  }
  return live;
}

/** Every contract that must hold across two processes, on one store. */
export function describeTwoInstances(store: Store): void {
  describe(`with evict-oldest (limit ${LIMIT})`, () => {
    const instances = useTwoInstances(store, 'evict-oldest');

    it('a logout on A is refused by B on its very next request', async () => {
      const { a, b } = instances();
      const user = await registerUser(a);
      const session = await loginWithToken(a, user);
      await b.http().get('/me').set('Authorization', bearer(session.token)).expect(200);

      await a.http().post('/auth/logout').set('Authorization', bearer(session.token)).expect(204);

      const refused = await b.http().get('/me').set('Authorization', bearer(session.token));
      expect(refused.status).toBe(401);
      expectErrorBody(refused.body, 401);
    });

    it('a DPoP proof used on one instance is refused on the other, also when the copies race', async () => {
      const { a, b } = instances();
      // Behind one load balancer both instances see the same public origin, which the proof names.
      const host = 'api.example.test';
      const client = await DpopClient.create(`http://${host}`);
      const user = await registerUser(a);
      const issued = await a
        .http()
        .post('/auth/token')
        .set('Host', host)
        .set('DPoP', await client.proof('POST', '/auth/token'))
        .send({ email: user.email, password: user.password })
        .expect(200);
      const token = issued.body.token as string;
      const me = (app: AppProcess, proof: string) =>
        app
          .http()
          .get('/me')
          .set('Host', host)
          .set('Authorization', `DPoP ${token}`)
          .set('DPoP', proof);
      const once = await client.proof('GET', '/me', token);
      await me(a, once).expect(200);
      await me(b, once).expect(401);
      const raced = await client.proof('GET', '/me', token);
      const answers = await Promise.all(
        Array.from({ length: 10 }, (_, i) => me(i % 2 ? a : b, raced)),
      );
      expect(answers.map((answer) => answer.status).sort()).toEqual([200, ...Array(9).fill(401)]);
    });

    it('a session revoked through B is refused by A on its very next request', async () => {
      const { a, b } = instances();
      const user = await registerUser(b);
      const victim = await loginWithToken(a, user);
      const other = await loginWithToken(b, user);
      await a.http().get('/me').set('Authorization', bearer(victim.token)).expect(200);

      await b
        .http()
        .delete(`/sessions/${victim.sessionId}`)
        .set('Authorization', bearer(other.token))
        .expect(204);

      await a.http().get('/me').set('Authorization', bearer(victim.token)).expect(401);
      await a.http().get('/me').set('Authorization', bearer(other.token)).expect(200);
    });

    it(`${RACERS} racing logins over both leave exactly ${LIMIT} live tokens, listed alike on both`, async () => {
      const pair = instances();
      const user = await registerUser(pair.a);

      const results = await raceLogins(pair, user);

      expect(results.map((r) => r.status)).toEqual(results.map(() => 200));
      const tokens = results.map((r) => r.token as string);
      const live = await liveTokens(pair, tokens);
      expect(live).toHaveLength(LIMIT);
      const onA = await listedIds(pair.a, live[0]);
      const onB = await listedIds(pair.b, live[live.length - 1]);
      expect(onA).toHaveLength(LIMIT);
      expect(onB).toEqual(onA);
    });
  });

  describe(`with reject (limit ${LIMIT})`, () => {
    const instances = useTwoInstances(store, 'reject');

    it(`${RACERS} racing logins over both: exactly ${LIMIT} × 200 and ${RACERS - LIMIT} × 409`, async () => {
      const pair = instances();
      const user = await registerUser(pair.b);

      const results = await raceLogins(pair, user);

      const accepted = results.filter((r) => r.status === 200);
      const refused = results.filter((r) => r.status === 409);
      expect(accepted).toHaveLength(LIMIT);
      expect(refused).toHaveLength(RACERS - LIMIT);
      for (const r of refused) expectErrorBody(r.body, 409, 'session_limit_reached');
      // Both processes took part in the race (it is not one process serializing itself).
      expect(new Set(results.map((r) => r.via))).toEqual(new Set(['A', 'B']));

      const tokens = accepted.map((r) => r.token as string);
      expect(await liveTokens(pair, tokens)).toHaveLength(LIMIT);
      const onA = await listedIds(pair.a, tokens[0]);
      expect(onA).toHaveLength(LIMIT);
      expect(await listedIds(pair.b, tokens[1])).toEqual(onA);
    });
  });

  describe('login throttling (LOGIN_MAX_FAILURES=3)', () => {
    const instances = useTwoInstances(store, 'evict-oldest', {
      LOGIN_MAX_FAILURES: '3',
      LOGIN_FAILURE_WINDOW_SECONDS: '60',
    });

    it('failures on A and on B add up: the counter lives in the shared store, not in a process', async () => {
      const { a, b } = instances();
      const user = await registerUser(a);
      const attempt = (target: AppProcess, password: string) =>
        target.http().post('/auth/login').send({ email: user.email, password });
      await attempt(a, 'wrong password!').expect(401);
      await attempt(b, 'wrong password!').expect(401);
      await attempt(a, 'wrong password!').expect(401);
      const refused = await attempt(b, user.password).expect(429);
      expectErrorBody(refused.body, 429, 'too_many_attempts');
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
      await attempt(a, user.password).expect(429);
    });
  });
}
