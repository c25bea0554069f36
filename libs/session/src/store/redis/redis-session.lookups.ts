import type { Cluster, Redis } from 'ioredis';
import type { SessionRecord } from '../session.record';
import { ttlMs } from './redis-session.codec';
import { type RedisSessionKeys, escapeKeyPart } from './redis-session.keys';

/** Where a session's keys are: its escaped user id (the hash tag) and escaped session id. */
export interface SessionAddress {
  user: string;
  member: string;
}

/**
 * The two global pointers, `P:hash:<hex>` → `U:I` and `P:id:I` → `U`: the only way from a token
 * hash or a session id to the user's slot. Each sits in a slot of its own, so they are never
 * written inside a user's script; every command here names one key (no cross-slot MULTI/DEL).
 *
 * Safety rests on one rule: a pointer is only ever trusted together with the record it leads to.
 * A pointer to nothing reads as "not found", and the hash pointer of a rotated-away token still
 * leads to the record but no longer matches its current hash (see `findByTokenHash`). So a
 * pointer that outlives, precedes or misses its record is harmless.
 */
export class RedisSessionLookups {
  constructor(
    private readonly client: Redis | Cluster,
    private readonly keys: RedisSessionKeys,
  ) {}

  /**
   * Writes the pointers of a new session. The hash pointer is written only if none exists (NX),
   * as the PostgreSQL store's unique index refuses a token hash already in use; then nothing is
   * written and this throws.
   */
  async publish(record: SessionRecord, ttl: number): Promise<void> {
    const { user, member } = addressOf(record);
    const hashKey = this.keys.hashLookup(hex(record.tokenHash));
    if ((await this.client.set(hashKey, `${user}:${member}`, 'PX', ttl, 'NX')) === null) {
      throw new Error('RedisSessionStore.create: the token hash is already in use');
    }
    await this.client.set(this.keys.idLookup(member), user, 'PX', ttl);
  }

  async withdraw(record: SessionRecord): Promise<void> {
    const { member } = addressOf(record);
    await this.delete([this.keys.hashLookup(hex(record.tokenHash)), this.keys.idLookup(member)]);
  }

  async byHash(tokenHash: Buffer): Promise<SessionAddress | null> {
    const pointer = await this.client.get(this.keys.hashLookup(hex(tokenHash)));
    if (!pointer) return null;
    const [user, member] = pointer.split(':');
    return { user, member };
  }

  async byId(id: string): Promise<SessionAddress | null> {
    const member = escapeKeyPart(id);
    const user = await this.client.get(this.keys.idLookup(member));
    return user === null ? null : { user, member };
  }

  /**
   * After a rotation: the new hash leads to the session, and the old hash's pointer (now only
   * used to reach the tombstone) lives exactly as long as that tombstone.
   */
  async rotated(
    at: SessionAddress,
    oldHex: string,
    record: SessionRecord,
    now: Date,
    tombTtl: number,
  ) {
    const pointer = `${at.user}:${at.member}`;
    const ttl = ttlMs(record.purgeAfter, now);
    await Promise.all([
      this.client.set(this.keys.hashLookup(hex(record.tokenHash)), pointer, 'PX', ttl),
      this.client.pexpire(this.keys.hashLookup(oldHex), tombTtl),
    ]);
  }

  /**
   * After sessions ended (their `purgeAfter` changed), their pointers follow the new TTL. Only
   * the writer whose script ended a session gets here (ending is conditional on liveness), so
   * retimes never race each other.
   */
  async retime(records: SessionRecord[], now: Date): Promise<void> {
    await Promise.all(
      records.flatMap((record) => {
        const ttl = ttlMs(record.purgeAfter, now);
        return [
          this.client.pexpire(this.keys.hashLookup(hex(record.tokenHash)), ttl),
          this.client.pexpire(this.keys.idLookup(addressOf(record).member), ttl),
        ];
      }),
    );
  }

  /** After purge deleted records (`[member, hashHex]` pairs) and tombstones (hashes). */
  async forget(records: string[], tombstones: string[]): Promise<void> {
    const keys = tombstones.map((h) => this.keys.hashLookup(h));
    for (let i = 0; i + 1 < records.length; i += 2) {
      keys.push(this.keys.idLookup(records[i]), this.keys.hashLookup(records[i + 1]));
    }
    await this.delete(keys);
  }

  /** One DEL per key: in a cluster the keys may sit in different slots. */
  private async delete(keys: string[]): Promise<void> {
    await Promise.all(keys.map((key) => this.client.del(key)));
  }
}

export function addressOf(record: SessionRecord): SessionAddress {
  return { user: escapeKeyPart(record.userId), member: escapeKeyPart(record.id) };
}

function hex(hash: Buffer): string {
  return hash.toString('hex');
}
