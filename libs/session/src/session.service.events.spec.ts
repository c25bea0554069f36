import { Logger } from '@nestjs/common';
import {
  CLIENT,
  createSessionTestingModule,
  flushEvents,
  type SessionTestingModule,
} from './testing/session-testing.module';
import type { InMemorySessionStore } from './store/memory/in-memory-session.store';

describe('SessionService: events', () => {
  let t: SessionTestingModule<InMemorySessionStore> | undefined;
  afterEach(async () => {
    await t?.moduleRef.close();
    t = undefined;
    jest.restoreAllMocks();
  });

  it('never puts a session token into any event payload', async () => {
    t = await createSessionTestingModule({ maxSessionsPerUser: 2 });
    const { service, clock, events } = t;
    const tokens: string[] = [];
    const create = async () => {
      const issued = await service.create('user-1', CLIENT);
      tokens.push(issued.token);
      return issued;
    };
    const evicted = await create();
    clock.advance(1);
    const rotatedAway = await create();
    clock.advance(1);
    const revoked = await create(); // evicts the first: session.revoked + session.limit_reached
    clock.advance(61);
    await service.validate(rotatedAway.token, CLIENT); // session.renewed
    const rotated = await service.rotate(rotatedAway.session.id, CLIENT); // session.rotated
    tokens.push(rotated?.token ?? '');
    await service.authenticate(rotatedAway.token, CLIENT); // replay of a rotated token
    await service.authenticate(evicted.token, CLIENT); // replay of a revoked token
    await service.revoke(revoked.session.id, 'logout');
    await service.revokeAllForUser('user-1', { reason: 'user' });
    await flushEvents();

    expect(new Set(events.map((e) => e.name))).toEqual(
      new Set([
        'session.created',
        'session.revoked',
        'session.limit_reached',
        'session.renewed',
        'session.rotated',
        'session.replay_detected',
      ]),
    );
    for (const { name, payload } of events) {
      const json = JSON.stringify(payload);
      for (const token of tokens) {
        expect({ name, containsToken: json.includes(token) }).toEqual({
          name,
          containsToken: false,
        });
      }
    }
  });

  it('a throwing listener neither fails create() nor stops later deliveries', async () => {
    t = await createSessionTestingModule();
    const logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    t.emitter.on('session.created', () => {
      throw new Error('listener exploded');
    });
    // eslint-disable-next-line @typescript-eslint/no-misused-promises -- an async listener is the case under test
    t.emitter.on('session.created', async () => {
      await Promise.resolve();
      throw new Error('async listener exploded');
    });

    await expect(t.service.create('user-1', CLIENT)).resolves.toHaveProperty('token');
    await flushEvents();
    await expect(t.service.create('user-1', CLIENT)).resolves.toHaveProperty('token');
    await flushEvents();
    // The listeners did run, and their failure was logged rather than thrown.
    expect(logged).toHaveBeenCalledWith(expect.stringContaining('exploded'));
    expect(t.eventsNamed('session.created')).toHaveLength(2);
  });

  it('an async listener that never settles does not delay create()', async () => {
    // Not kept in `t`: closing the module would wait for this listener (shutdown flush).
    const { service, emitter, eventsNamed } = await createSessionTestingModule();
    const hanging = jest.fn(() => new Promise<never>(() => undefined));
    // eslint-disable-next-line @typescript-eslint/no-misused-promises -- a never-settling async listener is the case under test
    emitter.on('session.created', hanging);

    let timer: NodeJS.Timeout | undefined;
    const stalled = new Promise<'stalled'>((resolve) => {
      timer = setTimeout(() => resolve('stalled'), 1000);
    });
    const outcome = await Promise.race([
      service.create('user-1', CLIENT).then(() => 'created' as const),
      stalled,
    ]);
    clearTimeout(timer);
    expect(outcome).toBe('created');
    await flushEvents();
    expect(hanging).toHaveBeenCalledTimes(1);
    expect(eventsNamed('session.created')).toHaveLength(1);
    await expect(service.create('user-1', CLIENT)).resolves.toHaveProperty('token');
  });
});
