import { LRUCache } from 'lru-cache';
import type { SessionInvalidation } from '../invalidation/session-invalidation.channel';
import type { SessionRecord } from '../store/session.record';

/** What the cache keeps per token: the session and, with `resolveUser`, its user. */
export interface CachedSession {
  record: SessionRecord;
  /** The `resolveUser` result; undefined until resolved (or without the hook). */
  user?: unknown;
}

/** How many recent invalidations are remembered per session id before falling back to a floor. */
const TRACKED_INVALIDATIONS = 10_000;

/**
 * Recently validated sessions, keyed by token hash, in process memory: `lru-cache` keeps the
 * entries (LRU order, size bound, TTL); this class adds what it cannot know about.
 *
 * The race it must win: a validation reads the store, a revocation commits and its invalidation
 * arrives, THEN the validation tries to cache what it read. Each read takes a ticket (the current
 * invalidation sequence) before touching the store; an entry is stored only if no invalidation of
 * that session (or of everything) happened after its ticket. Sessions whose invalidation was
 * forgotten (beyond the tracked window) are refused through `floor`.
 */
export class SessionCache {
  private readonly entries: LRUCache<string, CachedSession>;
  private readonly keyBySession = new Map<string, string>();
  private readonly invalidatedAt = new Map<string, number>();
  private sequence = 0;
  private floor = 0;
  private enabled = false;
  private evictedCount = 0;

  /** @param now the module's clock in epoch milliseconds, so tests can drive the TTL */
  constructor(ttlMs: number, max: number, now: () => number) {
    this.entries = new LRUCache<string, CachedSession>({
      max,
      ttl: ttlMs,
      perf: { now },
      // Read the clock on every check: lru-cache would otherwise reuse one reading for a
      // millisecond, through a timer, which a test clock moved by hand cannot tell.
      ttlResolution: 0,
      dispose: (entry, key, reason) => {
        if (this.keyBySession.get(entry.record.id) === key)
          this.keyBySession.delete(entry.record.id);
        if (reason === 'evict') this.evictedCount += 1;
      },
    });
  }

  /** False while the invalidation channel is down: every validation reads the store. */
  get isEnabled(): boolean {
    return this.enabled;
  }

  /** Whether the invalidation channel is up; a cache without it would serve revoked sessions. */
  setEnabled(enabled: boolean): void {
    if (this.enabled === enabled) return;
    this.enabled = enabled;
    this.invalidate('all');
  }

  get size(): number {
    return this.entries.size;
  }

  /** Entries dropped to stay within `max` (not counting expiry or invalidation). */
  get evictions(): number {
    return this.evictedCount;
  }

  /** The ticket to pass to `set` for a store read that starts now. */
  ticket(): number {
    return this.sequence;
  }

  get(key: string): CachedSession | undefined {
    return this.enabled ? this.entries.get(key) : undefined;
  }

  set(key: string, entry: CachedSession, ticket: number): void {
    if (!this.enabled || ticket < this.floor) return;
    if ((this.invalidatedAt.get(entry.record.id) ?? -1) > ticket) return;
    this.entries.set(key, entry);
    this.keyBySession.set(entry.record.id, key);
  }

  /** Keeps a cached entry in step with a write this instance made (touch), keeping its TTL. */
  refresh(key: string, record: SessionRecord): void {
    const entry = this.entries.get(key, { updateAgeOnGet: false });
    if (entry && entry.record.id === record.id) entry.record = record;
  }

  invalidate(invalidation: SessionInvalidation): void {
    this.sequence += 1;
    if (invalidation === 'all') {
      this.floor = this.sequence;
      this.entries.clear();
      this.keyBySession.clear();
      this.invalidatedAt.clear();
      return;
    }
    for (const id of invalidation) {
      const key = this.keyBySession.get(id);
      if (key !== undefined) this.entries.delete(key);
      this.invalidatedAt.delete(id);
      this.invalidatedAt.set(id, this.sequence);
    }
    while (this.invalidatedAt.size > TRACKED_INVALIDATIONS) {
      const [forgotten, at] = this.invalidatedAt.entries().next().value as [string, number];
      this.invalidatedAt.delete(forgotten);
      this.floor = Math.max(this.floor, at);
    }
  }
}
