import type { SessionRecord } from '../store/session.record';
import type { SessionInvalidation } from '../invalidation/session-invalidation.channel';

interface Entry {
  record: SessionRecord;
  expiresAt: number;
}

/** How many recent invalidations are remembered per session id before falling back to a floor. */
const TRACKED_INVALIDATIONS = 10_000;

/**
 * Recently validated sessions, keyed by token hash, in process memory (LRU, TTL).
 *
 * The race it must win: a validation reads the store, a revocation commits and its invalidation
 * arrives, THEN the validation tries to cache what it read. Each read takes a ticket (the current
 * invalidation sequence) before touching the store; an entry is stored only if no invalidation of
 * that session (or of everything) happened after its ticket. Sessions whose invalidation was
 * forgotten (beyond the tracked window) are refused through `floor`.
 */
export class SessionCache {
  private readonly entries = new Map<string, Entry>();
  private readonly keyBySession = new Map<string, string>();
  private readonly invalidatedAt = new Map<string, number>();
  private sequence = 0;
  private floor = 0;
  private enabled = false;

  constructor(
    private readonly ttlMs: number,
    private readonly max: number,
  ) {}

  /** Whether the invalidation channel is up; a cache without it would serve revoked sessions. */
  setEnabled(enabled: boolean): void {
    if (this.enabled === enabled) return;
    this.enabled = enabled;
    this.invalidate('all');
  }

  get size(): number {
    return this.entries.size;
  }

  /** The ticket to pass to `set` for a store read that starts now. */
  ticket(): number {
    return this.sequence;
  }

  get(key: string, nowMs: number): SessionRecord | undefined {
    if (!this.enabled) return undefined;
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= nowMs) {
      this.delete(key, entry.record.id);
      return undefined;
    }
    // Re-insert: Map order is the LRU order.
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.record;
  }

  set(key: string, record: SessionRecord, ticket: number, nowMs: number): void {
    if (!this.enabled || ticket < this.floor) return;
    if ((this.invalidatedAt.get(record.id) ?? -1) > ticket) return;
    this.entries.delete(key);
    this.entries.set(key, { record, expiresAt: nowMs + this.ttlMs });
    this.keyBySession.set(record.id, key);
    while (this.entries.size > this.max) {
      const [oldestKey, oldest] = this.entries.entries().next().value as [string, Entry];
      this.delete(oldestKey, oldest.record.id);
    }
  }

  /** Keeps a cached entry in step with a write this instance made (touch). */
  refresh(key: string, record: SessionRecord): void {
    const entry = this.entries.get(key);
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
      if (key !== undefined) this.delete(key, id);
      this.invalidatedAt.delete(id);
      this.invalidatedAt.set(id, this.sequence);
    }
    while (this.invalidatedAt.size > TRACKED_INVALIDATIONS) {
      const [forgotten, at] = this.invalidatedAt.entries().next().value as [string, number];
      this.invalidatedAt.delete(forgotten);
      this.floor = Math.max(this.floor, at);
    }
  }

  private delete(key: string, sessionId: string): void {
    this.entries.delete(key);
    if (this.keyBySession.get(sessionId) === key) this.keyBySession.delete(sessionId);
  }
}
