import { makeSessionRecord } from '../testing/session-record.factory';
import { SessionCache } from './session.cache';

const NOW = new Date('2026-03-01T12:00:00.000Z');
const t = NOW.getTime();

let now = t;

function enabledCache(ttlMs = 5000, max = 100): SessionCache {
  now = t;
  const cache = new SessionCache(ttlMs, max, () => now);
  cache.setEnabled(true);
  return cache;
}

describe('SessionCache', () => {
  it('serves a remembered record until its ttl', () => {
    const cache = enabledCache();
    const record = makeSessionRecord(NOW);
    cache.set('k', { record }, cache.ticket());
    now = t + 4999;
    expect(cache.get('k')?.record).toBe(record);
    now = t + 5001; // lru-cache: stale once older than ttl
    expect(cache.get('k')).toBeUndefined();
  });

  it('never caches a read that started before an invalidation of that session (the stale-write race)', () => {
    const cache = enabledCache();
    const record = makeSessionRecord(NOW);
    const ticket = cache.ticket(); // the validation starts reading the store
    cache.invalidate([record.id]); // a revocation's invalidation arrives meanwhile
    cache.set('k', { record }, ticket); // the read returns the now-stale live record
    expect(cache.get('k')).toBeUndefined();
    cache.set('k', { record }, cache.ticket()); // a read started after the invalidation is fine
    expect(cache.get('k')?.record).toBe(record);
  });

  it('an invalidation of another session does not block caching', () => {
    const cache = enabledCache();
    const record = makeSessionRecord(NOW);
    const ticket = cache.ticket();
    cache.invalidate(['someone-else']);
    cache.set('k', { record }, ticket);
    expect(cache.get('k')?.record).toBe(record);
  });

  it('evicts by session id and flushes everything on "all"', () => {
    const cache = enabledCache();
    const a = makeSessionRecord(NOW);
    const b = makeSessionRecord(NOW);
    cache.set('a', { record: a }, cache.ticket());
    cache.set('b', { record: b }, cache.ticket());
    cache.invalidate([a.id]);
    expect(cache.get('a')).toBeUndefined();
    expect(cache.get('b')?.record).toBe(b);
    const ticket = cache.ticket();
    cache.invalidate('all');
    expect(cache.size).toBe(0);
    cache.set('b', { record: b }, ticket);
    expect(cache.get('b')).toBeUndefined();
  });

  it('is bypassed and flushed while the invalidation channel is down', () => {
    const cache = enabledCache();
    const record = makeSessionRecord(NOW);
    const ticket = cache.ticket();
    cache.set('k', { record }, ticket);
    cache.setEnabled(false);
    expect(cache.get('k')).toBeUndefined();
    cache.set('k', { record }, cache.ticket());
    expect(cache.size).toBe(0);
    cache.setEnabled(true);
    // A read that started before the channel came back may have missed invalidations.
    cache.set('k', { record }, ticket);
    expect(cache.get('k')).toBeUndefined();
  });

  it('keeps at most max entries, dropping the least recently used', () => {
    const cache = enabledCache(5000, 2);
    const [a, b, c] = [makeSessionRecord(NOW), makeSessionRecord(NOW), makeSessionRecord(NOW)];
    cache.set('a', { record: a }, cache.ticket());
    cache.set('b', { record: b }, cache.ticket());
    cache.get('a');
    cache.set('c', { record: c }, cache.ticket());
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')?.record).toBe(a);
    expect(cache.get('c')?.record).toBe(c);
  });

  it('counts the entries dropped to stay within max', () => {
    const cache = enabledCache(5000, 1);
    cache.set('a', { record: makeSessionRecord(NOW) }, cache.ticket());
    cache.set('b', { record: makeSessionRecord(NOW) }, cache.ticket());
    expect(cache.size).toBe(1);
    expect(cache.evictions).toBe(1);
  });

  it('refresh updates a cached record after this instance renewed it', () => {
    const cache = enabledCache();
    const record = makeSessionRecord(NOW);
    cache.set('k', { record }, cache.ticket());
    const renewed = { ...record, lastSeenAt: new Date(t + 1000) };
    cache.refresh('k', renewed);
    expect(cache.get('k')?.record.lastSeenAt).toEqual(renewed.lastSeenAt);
  });
});
