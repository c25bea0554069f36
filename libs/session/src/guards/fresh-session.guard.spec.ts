import { Controller, Get } from '@nestjs/common';
import { httpContext, makeRequest } from '../../testing/execution-context.factory';
import { httpFailureOf } from '../../testing/rejection';
import { RequireFreshSession } from '../decorators/require-fresh-session.decorator';
import { attachAuthentication, markPublic } from '../pipeline/session-request';
import type { IssuedSession } from '../session.interface';
import {
  CLIENT,
  createSessionTestingModule,
  type SessionTestingModule,
} from '../testing/session-testing.module';
import { FreshSessionGuard } from './fresh-session.guard';

@Controller()
class SensitiveController {
  @RequireFreshSession()
  @Get('default')
  byDefault(): void {}

  @RequireFreshSession(30)
  @Get('strict')
  strict(): void {}

  @Get('plain')
  plain(): void {}
}

@RequireFreshSession(10)
@Controller()
class StrictController {
  @Get('any')
  any(): void {}
}

/** ASVS 4.0.3 3.7.1 / 5.0 7.5.1–7.5.3: re-authentication before sensitive operations. */
describe('FreshSessionGuard and @RequireFreshSession()', () => {
  let t: SessionTestingModule;
  let guard: FreshSessionGuard;
  let issued: IssuedSession;

  beforeEach(async () => {
    t = await createSessionTestingModule({ reauthWindow: 300 });
    guard = t.moduleRef.get(FreshSessionGuard);
    issued = await t.service.create('user-1', CLIENT);
  });
  afterEach(() => t.moduleRef.close());

  /** The guard on a handler, for a request SessionGuard admitted `secondsAgo` after login. */
  const check = (
    handler: (...args: never[]) => unknown,
    cls: new () => object,
    secondsAgo: number,
  ) => {
    t.clock.advance(secondsAgo);
    const request = makeRequest();
    attachAuthentication(request, { session: issued.session, via: 'cookie', user: undefined });
    const context = httpContext(request, { handler, class: cls });
    return Promise.resolve().then(() => guard.canActivate(context));
  };
  const reauthRequired = {
    status: 403,
    body: expect.objectContaining({ error: 'reauth_required' }),
  };

  it('uses reauthWindow without an argument: fresh at the window, 403 one second after', async () => {
    await expect(
      check(SensitiveController.prototype.byDefault, SensitiveController, 300),
    ).resolves.toBe(true);
    expect(
      await httpFailureOf(check(SensitiveController.prototype.byDefault, SensitiveController, 1)),
    ).toEqual(reauthRequired);
  });

  it('honours an explicit window per route (30 s), shorter than the module default', async () => {
    await expect(
      check(SensitiveController.prototype.strict, SensitiveController, 30),
    ).resolves.toBe(true);
    expect(
      await httpFailureOf(check(SensitiveController.prototype.strict, SensitiveController, 1)),
    ).toEqual(reauthRequired);
  });

  it('applies a window set on the controller to its handlers', async () => {
    expect(
      await httpFailureOf(check(StrictController.prototype.any, StrictController, 11)),
    ).toEqual(reauthRequired);
  });

  it('lets routes without the decorator through, however old the login', async () => {
    await expect(
      check(SensitiveController.prototype.plain, SensitiveController, 86_000),
    ).resolves.toBe(true);
  });

  it('a rotation with reauthenticated: true makes the session fresh again', async () => {
    t.clock.advance(400);
    const rotated = await t.service.rotate(issued.session.id, CLIENT, { reauthenticated: true });
    issued = rotated!;
    await expect(
      check(SensitiveController.prototype.byDefault, SensitiveController, 0),
    ).resolves.toBe(true);
  });

  it('answers 401 when the route is public and no session was attached', async () => {
    const request = makeRequest();
    markPublic(request);
    const context = httpContext(request, {
      handler: SensitiveController.prototype.byDefault,
      class: SensitiveController,
    });
    const failure = await httpFailureOf(Promise.resolve().then(() => guard.canActivate(context)));
    expect(failure.status).toBe(401);
  });
});
