import { randomUUID } from 'node:crypto';
import type { Cluster, Redis } from 'ioredis';
import { ms } from './redis-session.codec';
import type { RedisSessionKeys } from './redis-session.keys';
import { runScript, scanMasters } from './redis-session.commands';
import type { RedisSessionLookups } from './redis-session.lookups';
import { SWEEP, buildFor } from './redis-session.scripts';

/** How long one instance keeps the sweeping role after its last call. */
const LOCK_MS = 60_000;

/**
 * `purge()` for Redis. Redis already deletes every key when its TTL runs out; what is left to do
 * is (1) delete what the CALLER's clock says is due before Redis's clock does, and (2) drop the
 * ids of expired records from the user indexes. Both happen per user, one SWEEP script per slot.
 *
 * Finding the users takes a SCAN of every master. The walk is kept between calls, so the
 * cleanup job's batches continue one pass instead of each rescanning from the start; a pass
 * ends at the last key, and the next call begins a new one. One instance sweeps at a time
 * (a lock key with a TTL): several instances would only repeat the same SCAN. The lock is
 * best-effort — two sweepers at once are merely wasteful, since each SWEEP is atomic.
 */
export class RedisSessionSweeper {
  private pass: AsyncGenerator<string> | undefined;
  private readonly owner = randomUUID();

  constructor(
    private readonly client: Redis | Cluster,
    private readonly keys: RedisSessionKeys,
    private readonly lookups: RedisSessionLookups,
  ) {}

  async purge(now: Date, batchSize: number): Promise<number> {
    if (!(await this.holdLock())) return 0;
    this.pass ??= this.userBases();
    let removed = 0;
    try {
      while (removed < batchSize) {
        const next = await this.pass.next();
        if (next.done) {
          this.pass = undefined;
          break;
        }
        removed += await this.sweep(next.value, now, batchSize - removed);
      }
    } catch (error) {
      this.pass = undefined;
      throw error;
    }
    return removed;
  }

  private async sweep(base: string, now: Date, limit: number): Promise<number> {
    const [count, records, tombstones] = (await runScript(
      this.client,
      buildFor(SWEEP, this.client),
      [`${base}ids`, `${base}rot`],
      [ms(now), String(limit)],
    )) as [number, string[], string[]];
    // The data went first; pointers to it read as "not found" until these DELs land.
    await this.lookups.forget(records, tombstones);
    return count;
  }

  /** `P:{U}:` of every user with an index, once per page (SCAN may repeat across pages). */
  private async *userBases(): AsyncGenerator<string> {
    for await (const page of scanMasters(this.client, this.keys.userIndexPattern(), 'zset')) {
      const indexes = page.filter((k) => k.endsWith(':ids') || k.endsWith(':rot'));
      yield* new Set(indexes.map((k) => k.slice(0, -'ids'.length)));
    }
  }

  private async holdLock(): Promise<boolean> {
    const key = this.keys.purgeLock();
    if ((await this.client.set(key, this.owner, 'PX', LOCK_MS, 'NX')) === 'OK') return true;
    if ((await this.client.get(key)) !== this.owner) return false;
    await this.client.pexpire(key, LOCK_MS);
    return true;
  }
}
