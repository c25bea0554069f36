import { HttpStatus } from '@nestjs/common';
import {
  CLIENT,
  createSessionTestingModule,
  flushEvents,
  type SessionTestingModule,
} from './testing/session-testing.module';
import { rejectionOf } from '../testing/rejection';
import { SessionLimitReachedException } from './errors/session.exceptions';
import type { SessionModuleOptions } from './options/session-module-options.interface';
import type { InMemorySessionStore } from './store/memory/in-memory-session.store';

describe('SessionService: maxSessionsPerUser', () => {
  let t: SessionTestingModule<InMemorySessionStore>;
  const open = async (options: SessionModuleOptions) => {
    t = await createSessionTestingModule(options);
    return t;
  };
  afterEach(async () => t?.moduleRef.close());

  it('evict-oldest ends the earliest created session to admit a new one', async () => {
    const { service, clock, eventsNamed } = await open({ maxSessionsPerUser: 2 });
    const first = await service.create('user-1', CLIENT);
    clock.advance(1);
    const second = await service.create('user-1', CLIENT);
    clock.advance(1);
    const third = await service.create('user-1', CLIENT);

    expect(await service.authenticate(first.token, CLIENT)).toEqual({
      ok: false,
      failure: 'revoked',
    });
    expect(await service.validate(second.token, CLIENT)).not.toBeNull();
    expect(await service.validate(third.token, CLIENT)).not.toBeNull();
    expect(await service.countActive('user-1')).toBe(2);
    await flushEvents();
    expect(eventsNamed('session.revoked')).toEqual([
      expect.objectContaining({ sessionId: first.session.id, reason: 'limit' }),
    ]);
    expect(eventsNamed('session.limit_reached')).toEqual([
      expect.objectContaining({
        sessionId: third.session.id,
        strategy: 'evict-oldest',
        limit: 2,
        evictedSessionIds: [first.session.id],
      }),
    ]);
  });

  it('reject refuses the login with a 409 session_limit_reached and keeps the live sessions', async () => {
    const { service, eventsNamed } = await open({ maxSessionsPerUser: 2, limitStrategy: 'reject' });
    const kept = [await service.create('user-1', CLIENT), await service.create('user-1', CLIENT)];

    const error = await rejectionOf(service.create('user-1', CLIENT));
    expect(error).toBeInstanceOf(SessionLimitReachedException);
    const exception = error as SessionLimitReachedException;
    expect(exception.getStatus()).toBe(HttpStatus.CONFLICT);
    expect(exception.getResponse()).toMatchObject({
      statusCode: 409,
      error: 'session_limit_reached',
    });
    expect(await service.countActive('user-1')).toBe(2);
    for (const { token } of kept) expect(await service.validate(token, CLIENT)).not.toBeNull();
    await flushEvents();
    expect(eventsNamed('session.limit_reached')).toEqual([
      expect.objectContaining({ userId: 'user-1', strategy: 'reject', limit: 2 }),
    ]);
    expect(eventsNamed('session.created')).toHaveLength(2);
  });

  it('counts only the user’s own sessions against the limit', async () => {
    const { service } = await open({ maxSessionsPerUser: 1, limitStrategy: 'reject' });
    await service.create('user-1', CLIENT);
    await expect(service.create('user-2', CLIENT)).resolves.toBeDefined();
  });

  it('takes the limit from an async function of the user id, per user', async () => {
    const limit = jest.fn(async (userId: string) => (userId === 'admin' ? 1 : 3));
    const { service } = await open({ maxSessionsPerUser: limit, limitStrategy: 'reject' });

    await service.create('admin', CLIENT);
    expect(await rejectionOf(service.create('admin', CLIENT))).toBeInstanceOf(
      SessionLimitReachedException,
    );
    for (let i = 0; i < 3; i++) await service.create('user-1', CLIENT);
    expect(await rejectionOf(service.create('user-1', CLIENT))).toBeInstanceOf(
      SessionLimitReachedException,
    );
    expect(limit).toHaveBeenCalledWith('admin');
    expect(limit).toHaveBeenCalledWith('user-1');
    expect(await service.countActive('admin')).toBe(1);
    expect(await service.countActive('user-1')).toBe(3);
  });

  it('refuses to create a session when the limit function returns no positive integer', async () => {
    const { service, store, clock } = await open({ maxSessionsPerUser: async () => 0 });
    await expect(service.create('user-1', CLIENT)).rejects.toThrow(/maxSessionsPerUser/);
    expect(await store.countActive('user-1', clock.now())).toBe(0);
  });
});
