import { makeSessionRecord } from '../../testing/session-record.factory';
import { SessionCache } from './session.cache';

const NOW = new Date('2026-03-01T12:00:00.000Z');
const t = NOW.getTime();

function enabledCache(ttlMs = 5000, max = 100): SessionCache {
  const cache = new SessionCache(ttlMs, max);
  cache.setEnabled(true);
  return cache;
}

describe('SessionCache', () => {
  it('serves a remembered record until its ttl', () => {
    const cache = enabledCache();
    const record = makeSessionRecord(NOW);
    cache.set('k', record, cache.ticket(), t);
    expect(cache.get('k', t + 4999)).toBe(record);
    expect(cache.get('k', t + 5000)).toBeUndefined();
  });

  it('never caches a read that started before an invalidation of that session (the stale-write race)', () => {
    const cache = enabledCache();
    const record = makeSessionRecord(NOW);
    const ticket = cache.ticket(); // the validation starts reading the store
    cache.invalidate([record.id]); // a revocation's invalidation arrives meanwhile
    cache.set('k', record, ticket, t); // the read returns the now-stale live record
    expect(cache.get('k', t)).toBeUndefined();
    cache.set('k', record, cache.ticket(), t); // a read started after the invalidation is fine
    expect(cache.get('k', t)).toBe(record);
  });

  it('an invalidation of another session does not block caching', () => {
    const cache = enabledCache();
    const record = makeSessionRecord(NOW);
    const ticket = cache.ticket();
    cache.invalidate(['someone-else']);
    cache.set('k', record, ticket, t);
    expect(cache.get('k', t)).toBe(record);
  });

  it('evicts by session id and flushes everything on "all"', () => {
    const cache = enabledCache();
    const a = makeSessionRecord(NOW);
    const b = makeSessionRecord(NOW);
    cache.set('a', a, cache.ticket(), t);
    cache.set('b', b, cache.ticket(), t);
    cache.invalidate([a.id]);
    expect(cache.get('a', t)).toBeUndefined();
    expect(cache.get('b', t)).toBe(b);
    const ticket = cache.ticket();
    cache.invalidate('all');
    expect(cache.size).toBe(0);
    cache.set('b', b, ticket, t);
    expect(cache.get('b', t)).toBeUndefined();
  });

  it('is bypassed and flushed while the invalidation channel is down', () => {
    const cache = enabledCache();
    const record = makeSessionRecord(NOW);
    const ticket = cache.ticket();
    cache.set('k', record, ticket, t);
    cache.setEnabled(false);
    expect(cache.get('k', t)).toBeUndefined();
    cache.set('k', record, cache.ticket(), t);
    expect(cache.size).toBe(0);
    cache.setEnabled(true);
    // A read that started before the channel came back may have missed invalidations.
    cache.set('k', record, ticket, t);
    expect(cache.get('k', t)).toBeUndefined();
  });

  it('keeps at most max entries, dropping the least recently used', () => {
    const cache = enabledCache(5000, 2);
    const [a, b, c] = [makeSessionRecord(NOW), makeSessionRecord(NOW), makeSessionRecord(NOW)];
    cache.set('a', a, cache.ticket(), t);
    cache.set('b', b, cache.ticket(), t);
    cache.get('a', t);
    cache.set('c', c, cache.ticket(), t);
    expect(cache.get('b', t)).toBeUndefined();
    expect(cache.get('a', t)).toBe(a);
    expect(cache.get('c', t)).toBe(c);
  });

  it('refresh updates a cached record after this instance renewed it', () => {
    const cache = enabledCache();
    const record = makeSessionRecord(NOW);
    cache.set('k', record, cache.ticket(), t);
    const renewed = { ...record, lastSeenAt: new Date(t + 1000) };
    cache.refresh('k', renewed);
    expect(cache.get('k', t)?.lastSeenAt).toEqual(renewed.lastSeenAt);
  });
});
