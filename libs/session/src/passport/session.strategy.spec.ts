import type { CanActivate } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import type { Request } from 'express';
import {
  httpContext,
  makeRequest,
  type FakeRequestInit,
} from '../../testing/execution-context.factory';
import { httpFailureOf } from '../../testing/rejection';
import {
  CLIENT,
  createSessionTestingModule,
  type SessionTestingModule,
} from '../testing/session-testing.module';
import { getRequestSession, sessionAuthMethod } from '../pipeline/session-request';
import { Public } from '../decorators/public.decorator';
import { SessionGuard } from '../guards/session.guard';
import { SessionAuthenticator } from '../pipeline/session.authenticator';
import type { IssuedSession } from '../session.interface';
import type { SessionStore } from '../store/session.store';
import { SessionStrategy } from './session.strategy';

class OpenController {
  @Public()
  route(): void {}
}

const request = (init: FakeRequestInit): Request =>
  makeRequest({
    ip: CLIENT.ip,
    ...init,
    headers: { 'user-agent': CLIENT.userAgent, ...init.headers },
  });
const cookie = (token: string) => ({ cookie: `__Host-sid=${token}` });
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe('SessionStrategy (AuthGuard("session"))', () => {
  let t: SessionTestingModule<SessionStore>;
  let issued: IssuedSession;
  let passportGuard: CanActivate;
  let sessionGuard: SessionGuard;

  beforeEach(async () => {
    t = await createSessionTestingModule({ idleTimeout: 600 }, { providers: [SessionStrategy] });
    // Instantiating the strategy registers it with passport under the name "session".
    t.moduleRef.get(SessionStrategy);
    sessionGuard = t.moduleRef.get(SessionGuard);
    passportGuard = new (AuthGuard('session'))();
    issued = await t.service.create('user-1', CLIENT);
  });

  afterEach(async () => {
    await t.moduleRef.close();
    jest.restoreAllMocks();
  });

  /** Runs the passport guard on a request over a @Public() route, as the sample app does. */
  const run = (req: Request) =>
    passportGuard.canActivate(
      httpContext(req, { handler: OpenController.prototype.route, class: OpenController }),
    ) as Promise<boolean>;

  it('admits a cookie session and makes it both req.user and @CurrentSession()', async () => {
    const req = request({ headers: cookie(issued.token) });
    await expect(run(req)).resolves.toBe(true);
    expect((req as Request & { user?: { id: string } }).user?.id).toBe(issued.session.id);
    expect(getRequestSession(req)?.id).toBe(issued.session.id);
    expect(sessionAuthMethod(req)).toBe('cookie');
  });

  it('admits a bearer session', async () => {
    const req = request({ headers: bearer(issued.token) });
    await expect(run(req)).resolves.toBe(true);
    expect(sessionAuthMethod(req)).toBe('bearer');
  });

  it.each([
    ['no token', {}],
    ['an unknown token', cookie('A'.repeat(43))],
    ['a malformed bearer header', { authorization: 'Bearer' }],
  ])('answers 401 unauthorized for %s, even on a @Public() route', async (_what, headers) => {
    const failure = await httpFailureOf(run(request({ headers })));
    expect(failure).toEqual({
      status: 401,
      body: expect.objectContaining({ statusCode: 401, error: 'unauthorized' }),
    });
  });

  it('answers 401 session_expired once the idle timeout has passed', async () => {
    t.clock.advance(601);
    const failure = await httpFailureOf(run(request({ headers: cookie(issued.token) })));
    expect(failure.body).toEqual(expect.objectContaining({ error: 'session_expired' }));
  });

  it('answers 401 for a revoked session', async () => {
    await t.service.revoke(issued.session.id, 'logout');
    const failure = await httpFailureOf(run(request({ headers: cookie(issued.token) })));
    expect(failure.status).toBe(401);
  });

  it('enforces CSRF on unsafe cookie requests, exactly like SessionGuard', async () => {
    const unsafe = (headers: Record<string, string>) =>
      request({ method: 'POST', headers: { ...cookie(issued.token), ...headers } });

    const refused = await httpFailureOf(run(unsafe({})));
    expect(refused.body).toEqual(
      expect.objectContaining({ statusCode: 403, error: 'csrf_failed' }),
    );

    const foreign = await httpFailureOf(
      run(unsafe({ 'x-csrf-token': issued.session.csrfToken, origin: 'https://evil.example' })),
    );
    expect(foreign.status).toBe(403);

    await expect(run(unsafe({ 'x-csrf-token': issued.session.csrfToken }))).resolves.toBe(true);
    // Bearer requests are exempt, as with the guard.
    await expect(run(request({ method: 'POST', headers: bearer(issued.token) }))).resolves.toBe(
      true,
    );
  });

  it('runs the same SessionAuthenticator as SessionGuard (one code path, no fake context)', async () => {
    const authenticate = jest.spyOn(t.moduleRef.get(SessionAuthenticator), 'authenticate');
    const req = request({ headers: cookie(issued.token) });
    await run(req);
    expect(authenticate).toHaveBeenCalledTimes(1);
    expect(authenticate.mock.calls[0][0]).toBe(req);
    await sessionGuard.canActivate(httpContext(request({ headers: cookie(issued.token) })));
    expect(authenticate).toHaveBeenCalledTimes(2);
  });

  it('hands the resolveUser result to passport as req.user when that option is set', async () => {
    await t.moduleRef.close();
    t = await createSessionTestingModule(
      { resolveUser: (session) => ({ id: session.userId, name: 'Ada' }) },
      { providers: [SessionStrategy] },
    );
    t.moduleRef.get(SessionStrategy);
    const { token } = await t.service.create('user-7', CLIENT);
    const req = request({ headers: cookie(token) });
    await expect(run(req)).resolves.toBe(true);
    expect((req as Request & { user?: unknown }).user).toEqual({ id: 'user-7', name: 'Ada' });
  });
});
