import { CLIENT, createSessionTestingModule } from './testing/session-testing.module';
import type { SessionTestingModule } from './testing/session-testing.module';
import { SessionMetrics } from './metrics/session.metrics';
import type { InMemorySessionStore } from './store/memory/in-memory-session.store';

/** SessionService with the `cache` option on, over the in-memory store's in-process channel. */
describe('SessionService with the validation cache', () => {
  let t: SessionTestingModule<InMemorySessionStore>;

  beforeEach(async () => {
    t = await createSessionTestingModule({ cache: { ttl: 3600 }, touchInterval: 60 });
  });

  afterEach(() => t.moduleRef.close());

  it('answers repeated validations from memory: one store read for a burst of 100', async () => {
    const { token } = await t.service.create('user-1', CLIENT);
    const reads = jest.spyOn(t.store, 'findByTokenHash');
    for (let i = 0; i < 100; i++) expect((await t.service.check(token, CLIENT)).ok).toBe(true);
    expect(reads).toHaveBeenCalledTimes(1);
    expect(t.moduleRef.get(SessionMetrics).snapshot()).toMatchObject({
      cacheHits: 99,
      cacheMisses: 1,
      cacheSize: 1,
      cacheEvictions: 0,
      cacheBypassed: false,
    });
  });

  it('keeps revocation immediate: a revoked session is refused on the very next request', async () => {
    const { session, token } = await t.service.create('user-1', CLIENT);
    await t.service.check(token, CLIENT); // now cached
    await t.service.revoke(session.id, 'logout');
    expect(await t.service.check(token, CLIENT)).toEqual({ ok: false, failure: 'revoked' });
  });

  it('kills a rotated token at once even though it was cached', async () => {
    const { session, token } = await t.service.create('user-1', CLIENT);
    await t.service.check(token, CLIENT);
    const rotated = await t.service.rotate(session.id, CLIENT);
    expect((await t.service.check(token, CLIENT)).ok).toBe(false);
    expect((await t.service.check(rotated!.token, CLIENT)).ok).toBe(true);
  });

  it('checks idle and absolute expiry on every request from the cached times', async () => {
    const { token } = await createIdle(t);
    t.clock.advance(1801); // idle timeout passed while the cache entry (ttl 3600 s) is still there
    expect(await t.service.check(token, CLIENT)).toEqual({ ok: false, failure: 'expired' });
  });

  it('still renews at most once per touchInterval, writing through the store', async () => {
    const { token } = await t.service.create('user-1', CLIENT);
    const touches = jest.spyOn(t.store, 'touch');
    for (let second = 0; second < 180; second += 5) {
      t.clock.advance(5);
      expect((await t.service.check(token, CLIENT)).ok).toBe(true);
    }
    const writes = await Promise.all(touches.mock.results.map((r) => r.value as Promise<boolean>));
    expect(writes.filter(Boolean)).toHaveLength(3);
  });

  describe('with resolveUser', () => {
    let resolved: string[];
    let users: Map<string, { id: string; email: string } | null>;

    beforeEach(async () => {
      await t.moduleRef.close();
      resolved = [];
      users = new Map([['user-1', { id: 'user-1', email: 'ada@example.com' }]]);
      t = await createSessionTestingModule({
        cache: { ttl: 3600 },
        resolveUser: (session) => {
          resolved.push(session.userId);
          return users.get(session.userId) ?? null;
        },
      });
    });

    it('resolves the user once per cached session and hands it out with every hit', async () => {
      const { token } = await t.service.create('user-1', CLIENT);
      for (let i = 0; i < 5; i++) {
        expect(await t.service.check(token, CLIENT)).toMatchObject({
          ok: true,
          user: { email: 'ada@example.com' },
        });
      }
      expect(resolved).toEqual(['user-1']);
    });

    it('resolves again after invalidateUser, and refuses a user who is gone', async () => {
      const { token } = await t.service.create('user-1', CLIENT);
      await t.service.check(token, CLIENT);
      users.set('user-1', { id: 'user-1', email: 'new@example.com' });
      await t.service.invalidateUser('user-1');
      expect(await t.service.check(token, CLIENT)).toMatchObject({
        user: { email: 'new@example.com' },
      });
      users.set('user-1', null);
      await t.service.invalidateUser('user-1');
      expect(await t.service.check(token, CLIENT)).toEqual({ ok: false, failure: 'revoked' });
      expect(resolved).toHaveLength(3);
    });
  });
});

async function createIdle(t: SessionTestingModule<InMemorySessionStore>) {
  const issued = await t.service.create('user-1', CLIENT);
  await t.service.check(issued.token, CLIENT);
  return issued;
}
