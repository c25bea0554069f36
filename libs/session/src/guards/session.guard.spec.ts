import { Logger } from '@nestjs/common';
import { RpcException } from '@nestjs/microservices';
import { WsException } from '@nestjs/websockets';
import { GraphQLError } from 'graphql';
import {
  APP_ORIGIN,
  graphqlContext,
  httpContext,
  makeRequest,
  makeSocket,
  rpcContext,
  wsContext,
  type FakeRequestInit,
} from '../../testing/execution-context.factory';
import {
  CLIENT,
  createSessionTestingModule,
  type SessionTestingModule,
} from '../testing/session-testing.module';
import { FakeResponse } from '../../testing/fake-response';
import { httpFailureOf } from '../../testing/rejection';
import { UnavailableSessionStore } from '../../testing/unavailable-session.store';
import { getRequestSession, sessionAuthMethod } from '../pipeline/session-request';
import { Public } from '../decorators/public.decorator';
import type { IssuedSession } from '../session.interface';
import type { SessionModuleOptions } from '../options/session-module-options.interface';
import type { SessionStore } from '../store/session.store';
import { generateSessionToken } from '../token/session-token';
import { SessionCookie } from '../transport/session.cookie';
import { SessionMetrics } from '../metrics/session.metrics';
import { SessionGuard } from './session.guard';
import { SessionAuthenticator } from '../pipeline/session.authenticator';
import { flushEvents } from '../testing/session-testing.module';

class MixedController {
  @Public()
  open(): void {}
  closed(): void {}
}

@Public()
class PublicController {
  route(): void {}
}

/** One handler function inherited by a public and a guarded controller. */
class BaseController {
  inherited(): void {}
}
@Public()
class PublicChild extends BaseController {}
class GuardedChild extends BaseController {}

const request = (init: FakeRequestInit) =>
  makeRequest({
    ip: CLIENT.ip,
    ...init,
    headers: { 'user-agent': CLIENT.userAgent, ...init.headers },
  });
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const cookie = (token: string) => ({ cookie: `__Host-sid=${token}` });

describe('SessionGuard', () => {
  let t: SessionTestingModule<SessionStore>;
  let guard: SessionGuard;
  let issued: IssuedSession;

  async function setup(options: SessionModuleOptions = {}, store?: SessionStore) {
    t = await createSessionTestingModule(options, {
      store,
      providers: [SessionGuard, SessionCookie],
    });
    guard = t.moduleRef.get(SessionGuard);
    if (!store) issued = await t.service.create('user-1', CLIENT);
  }
  const check = (init: FakeRequestInit) => guard.canActivate(httpContext(request(init)));
  const refusal = (status: number, error: string) => ({
    status,
    body: expect.objectContaining({ statusCode: status, error }),
  });

  afterEach(async () => {
    await t?.moduleRef.close();
    jest.restoreAllMocks();
  });

  describe('@Public()', () => {
    beforeEach(() => setup());

    it.each([
      ['on the handler', MixedController.prototype.open, MixedController],
      ['on the class', PublicController.prototype.route, PublicController],
    ])('lets a request without a session through when set %s', async (_where, handler, cls) => {
      const find = jest.spyOn(t.store, 'findByTokenHash');
      const context = httpContext(request({}), { handler, class: cls });
      await expect(guard.canActivate(context)).resolves.toBe(true);
      expect(find).not.toHaveBeenCalled();
    });

    it('still guards the other handlers of a controller with one public route', async () => {
      const context = httpContext(request({}), {
        handler: MixedController.prototype.closed,
        class: MixedController,
      });
      expect(await httpFailureOf(guard.canActivate(context))).toEqual(refusal(401, 'unauthorized'));
    });

    it('answers per controller for a handler that two controllers inherit (kept per class)', async () => {
      const handler = BaseController.prototype.inherited;
      const open = httpContext(request({}), { handler, class: PublicChild });
      const closed = httpContext(request({}), { handler, class: GuardedChild });
      for (let i = 0; i < 2; i++) {
        await expect(guard.canActivate(open)).resolves.toBe(true);
        expect(await httpFailureOf(guard.canActivate(closed))).toEqual(
          refusal(401, 'unauthorized'),
        );
      }
    });
  });

  describe("outside HTTP: every refusal in the transport's own error kind", () => {
    beforeEach(() => setup());

    it('rpc fails closed with an RpcException naming the fix, never a TypeError', async () => {
      const error = await guard.canActivate(rpcContext()).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RpcException);
      expect((error as RpcException).getError()).toEqual({
        status: 'error',
        code: 'unauthorized',
        message: expect.stringMatching(/cannot authenticate a "rpc" context/),
      });
    });

    it('ws: a socket.io message is admitted by its handshake credentials, session attached', async () => {
      const socket = makeSocket(bearer(issued.token));
      await expect(guard.canActivate(wsContext(socket))).resolves.toBe(true);
      expect(getRequestSession(socket)?.id).toBe(issued.session.id);
    });

    it('ws: `auth: { token }` of the handshake counts as a bearer token', async () => {
      const socket = makeSocket({}, { token: issued.token });
      await expect(guard.canActivate(wsContext(socket))).resolves.toBe(true);
      expect(sessionAuthMethod(socket)).toBe('bearer');
    });

    it('ws: a revoked session is refused at the next message with a WsException', async () => {
      const socket = makeSocket(bearer(issued.token));
      await guard.canActivate(wsContext(socket));
      await t.service.revoke(issued.session.id, 'logout');
      const error = await guard.canActivate(wsContext(socket)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(WsException);
      expect((error as WsException).getError()).toEqual({
        status: 'error',
        code: 'unauthorized',
        message: 'Authentication required.',
      });
    });

    it('ws: a client that is not a socket.io socket is refused with a WsException', async () => {
      const error = await guard.canActivate(wsContext({})).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(WsException);
      expect(JSON.stringify((error as WsException).getError())).toMatch(/no handshake/);
    });

    it('ws: messages do not count as activity unless socketActivityRenews', async () => {
      const lastSeen = async (options: SessionModuleOptions) => {
        await t.moduleRef.close();
        await setup({ idleTimeout: 600, touchInterval: 60, ...options });
        t.clock.advance(120);
        await guard.canActivate(wsContext(makeSocket(bearer(issued.token))));
        return (await t.service.findById(issued.session.id))?.lastSeenAt.getTime();
      };
      const created = () => issued.session.lastSeenAt.getTime();
      expect(await lastSeen({})).toBe(created());
      expect(await lastSeen({ socketActivityRenews: true })).toBeGreaterThan(created());
    });

    it('graphql: refusals are GraphQL errors with extensions.code', async () => {
      const unknown = await guard
        .canActivate(graphqlContext(request({ headers: bearer(generateSessionToken()) })))
        .catch((e: unknown) => e);
      expect(unknown).toBeInstanceOf(GraphQLError);
      expect((unknown as GraphQLError).extensions).toEqual({
        code: 'UNAUTHENTICATED',
        error: 'unauthorized',
      });
      const csrf = await guard
        .canActivate(graphqlContext(request({ method: 'POST', headers: cookie(issued.token) })))
        .catch((e: unknown) => e);
      expect((csrf as GraphQLError).extensions.code).toBe('CSRF_FAILED');
    });

    it('graphql: the fields of one operation share one validation', async () => {
      const req = request({ headers: bearer(issued.token) });
      const reads = jest.spyOn(t.store, 'findByTokenHash');
      await guard.canActivate(graphqlContext(req));
      await guard.canActivate(graphqlContext(req));
      expect(reads).toHaveBeenCalledTimes(1);
    });

    it('graphql: a context without req is refused, naming the fix', async () => {
      const context = graphqlContext(request({}));
      context.getArgByIndex<{ req?: unknown }>(2).req = undefined;
      const error = await guard.canActivate(context).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(GraphQLError);
      expect((error as GraphQLError).message).toMatch(/return \{ req, res \}/);
    });
  });

  describe('401', () => {
    beforeEach(() => setup());

    it.each<[string, () => FakeRequestInit | Promise<FakeRequestInit>, string]>([
      ['no token', () => ({}), 'unauthorized'],
      ['a garbage bearer token', () => ({ headers: bearer('not-a-token') }), 'unauthorized'],
      ['a garbage cookie', () => ({ headers: cookie('%00garbage') }), 'unauthorized'],
      ['an unknown token', () => ({ headers: bearer(generateSessionToken()) }), 'unauthorized'],
      [
        'a revoked session',
        async () => {
          await t.service.revoke(issued.session.id, 'logout');
          return { headers: bearer(issued.token) };
        },
        'unauthorized',
      ],
      [
        'an expired session',
        () => {
          t.clock.advance(1800);
          return { headers: cookie(issued.token) };
        },
        'session_expired',
      ],
    ])('answers %s with a JSON 401', async (_label, arrange, error) => {
      const req = request(await arrange());
      expect(await httpFailureOf(guard.canActivate(httpContext(req)))).toEqual(refusal(401, error));
      expect(getRequestSession(req)).toBeUndefined();
    });
  });

  describe('attaches the session', () => {
    beforeEach(() => setup());

    it.each([
      ['cookie', cookie],
      ['bearer', bearer],
    ] as const)('with how it came (%s)', async (via, header) => {
      const req = request({ headers: header(issued.token) });
      await expect(guard.canActivate(httpContext(req))).resolves.toBe(true);
      expect(getRequestSession(req)?.id).toBe(issued.session.id);
      expect(sessionAuthMethod(req)).toBe(via);
    });

    it('on the request inside a GraphQL context', async () => {
      const req = request({ headers: bearer(issued.token) });
      await expect(guard.canActivate(graphqlContext(req))).resolves.toBe(true);
      expect(getRequestSession(req)?.userId).toBe('user-1');
    });
  });

  describe('CSRF on unsafe cookie requests', () => {
    const post = (headers: Record<string, string>) =>
      check({ method: 'POST', headers: { ...cookie(issued.token), ...headers } });
    const csrf = () => ({ 'x-csrf-token': issued.session.csrfToken });

    describe('with the defaults', () => {
      beforeEach(() => setup());

      it('refuses a POST without, or with a wrong, X-CSRF-Token (403 csrf_failed)', async () => {
        expect(await httpFailureOf(post({}))).toEqual(refusal(403, 'csrf_failed'));
        const wrong = { 'x-csrf-token': generateSessionToken() };
        expect(await httpFailureOf(post(wrong))).toEqual(refusal(403, 'csrf_failed'));
      });

      it('admits a POST with the right token, from no or the app’s own origin', async () => {
        await expect(post(csrf())).resolves.toBe(true);
        await expect(post({ ...csrf(), origin: APP_ORIGIN })).resolves.toBe(true);
        await expect(post({ ...csrf(), 'sec-fetch-site': 'same-origin' })).resolves.toBe(true);
      });

      it('needs no token for a safe method', async () => {
        await expect(check({ method: 'GET', headers: cookie(issued.token) })).resolves.toBe(true);
      });

      it('refuses a foreign Origin or Sec-Fetch-Site: cross-site even with the right token', async () => {
        const foreign = { ...csrf(), origin: 'https://evil.example' };
        expect(await httpFailureOf(post(foreign))).toEqual(refusal(403, 'csrf_failed'));
        expect(await httpFailureOf(post({ ...csrf(), origin: 'null' }))).toEqual(
          refusal(403, 'csrf_failed'),
        );
        const crossSite = { ...csrf(), 'sec-fetch-site': 'cross-site' };
        expect(await httpFailureOf(post(crossSite))).toEqual(refusal(403, 'csrf_failed'));
      });

      it('exempts bearer requests, which browsers never send on their own', async () => {
        const req = { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' };
        await expect(
          check({ method: 'DELETE', headers: { ...bearer(issued.token), ...req } }),
        ).resolves.toBe(true);
      });
    });

    it('admits a foreign origin listed in csrf.allowedOrigins, with the right token only', async () => {
      await setup({ csrf: { allowedOrigins: ['https://admin.example.com'] } });
      const origin = { origin: 'https://admin.example.com' };
      await expect(post({ ...csrf(), ...origin })).resolves.toBe(true);
      expect(await httpFailureOf(post(origin))).toEqual(refusal(403, 'csrf_failed'));
    });

    it('skips the check when csrf.enabled is false', async () => {
      await setup({ csrf: { enabled: false } });
      await expect(post({ origin: 'https://evil.example' })).resolves.toBe(true);
    });
  });

  it('fails closed with 503 session_store_unavailable when the store is down', async () => {
    await setup({}, new UnavailableSessionStore());
    const logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const req = request({ headers: bearer(generateSessionToken()) });
    expect(await httpFailureOf(guard.canActivate(httpContext(req)))).toEqual(
      refusal(503, 'session_store_unavailable'),
    );
    expect(getRequestSession(req)).toBeUndefined();
    expect(logged).toHaveBeenCalledWith(expect.stringContaining('ECONNREFUSED'));
  });

  it('counts every validation by result for the metrics', async () => {
    await setup();
    await check({ headers: bearer(issued.token) });
    await httpFailureOf(check({ headers: bearer('garbage') }));
    await httpFailureOf(check({}));
    const { validations, validationSeconds } = t.moduleRef.get(SessionMetrics).snapshot();
    expect(validations).toMatchObject({ ok: 1, invalid: 1, missing: 1 });
    expect(validationSeconds.count).toBe(3);
  });

  describe('periodic rotation (rotationInterval)', () => {
    beforeEach(() => setup({ rotationInterval: 60, rotationGrace: 10 }));

    it('rotates a due cookie session on a safe request and sends the new cookie', async () => {
      t.clock.advance(61);
      const response = new FakeResponse();
      const context = httpContext(request({ headers: cookie(issued.token) }), {
        response,
      });
      await guard.canActivate(context);
      expect(String(response.getHeader('set-cookie'))).toMatch(/^__Host-sid=/);
    });

    it('never rotates on an unsafe request that then fails the CSRF check', async () => {
      t.clock.advance(61);
      const forged = check({ method: 'POST', headers: cookie(issued.token) });
      expect(await httpFailureOf(forged)).toEqual(refusal(403, 'csrf_failed'));
      // Had it rotated, the token would die with the grace period: it must still be current.
      t.clock.advance(20);
      await expect(check({ method: 'GET', headers: cookie(issued.token) })).resolves.toBe(true);
    });
  });

  describe('Cache-Control on admitted responses (ASVS 4.0.3 8.2.1)', () => {
    it('marks every admitted response no-store and varies it on the credentials', async () => {
      await setup();
      const response = new FakeResponse();
      await guard.canActivate(
        httpContext(request({ headers: bearer(issued.token) }), { response }),
      );
      expect(response.getHeader('cache-control')).toBe('no-store');
      expect(response.values('vary')).toEqual(['Cookie, Authorization']);
    });

    it('leaves refused and public requests alone, and sets nothing with cacheControl: false', async () => {
      await setup();
      const refused = new FakeResponse();
      await httpFailureOf(guard.canActivate(httpContext(request({}), { response: refused })));
      expect(refused.getHeader('cache-control')).toBeUndefined();
      await t.moduleRef.close();
      await setup({ cacheControl: false });
      const response = new FakeResponse();
      await guard.canActivate(
        httpContext(request({ headers: bearer(issued.token) }), { response }),
      );
      expect(response.getHeader('cache-control')).toBeUndefined();
    });
  });

  describe('SessionAuthenticator.endPresentedSession (a login replaces the session it is sent with)', () => {
    beforeEach(() => setup());

    it.each([
      ['cookie', cookie],
      ['bearer', bearer],
    ] as const)('ends the session a %s presents, with reason replaced', async (_via, header) => {
      const authenticator = t.moduleRef.get(SessionAuthenticator);
      expect(
        await authenticator.endPresentedSession(request({ headers: header(issued.token) })),
      ).toBe(true);
      expect(await t.service.findById(issued.session.id)).toBeNull();
      await flushEvents();
      expect(t.eventsNamed('session.revoked')).toEqual([
        expect.objectContaining({ sessionId: issued.session.id, reason: 'replaced' }),
      ]);
    });

    it('changes nothing for no, a malformed, an unknown or an ended token', async () => {
      const authenticator = t.moduleRef.get(SessionAuthenticator);
      for (const headers of [{}, bearer('nope'), bearer(generateSessionToken())]) {
        expect(await authenticator.endPresentedSession(request({ headers }))).toBe(false);
      }
      await t.service.revoke(issued.session.id, 'logout');
      expect(
        await authenticator.endPresentedSession(request({ headers: cookie(issued.token) })),
      ).toBe(false);
    });
  });
});
