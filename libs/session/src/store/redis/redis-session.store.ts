import type { Cluster, Redis } from 'ioredis';
import type {
  CreateSessionParams,
  CreateSessionResult,
  EndAllForUserParams,
  EndSessionParams,
  RotateSessionParams,
  RotatedTokenRecord,
  SessionRecord,
} from '../session.record';
import { SessionStore } from '../session.store';
import {
  type HashReply,
  ms,
  toHashFields,
  toRotatedTokenRecord,
  toSessionRecord,
  ttlMs,
} from './redis-session.codec';
import { RedisSessionKeys, escapeKeyPart } from './redis-session.keys';
import { runScript, scanMasters } from './redis-session.commands';
import { RedisSessionLookups, type SessionAddress, addressOf } from './redis-session.lookups';
import * as lua from './redis-session.scripts';
import { RedisSessionSweeper } from './redis-session.sweeper';

export interface RedisSessionStoreOptions {
  /** First segment of every key; give each app (or test run) its own. @default 'sess' */
  prefix?: string;
}

/**
 * A `SessionStore` on Redis or Redis Cluster (Redis ≥ 6.0) through an ioredis client that the
 * caller owns and closes. Every key carries a TTL up to its record's `purgeAfter`, so Redis
 * deletes what expired by itself; `purge()` only tidies indexes and what the caller's clock says
 * is due. Per-user work (limit, touch, rotation, ending) is one Lua script on the user's slot.
 * A lookup by token hash or by id costs two round trips: the global pointer, then the record in
 * the user's slot (no single script may read both on Cluster).
 *
 * @example
 * SessionModule.forRoot({ store: new RedisSessionStore(new Redis(process.env.REDIS_URL)) })
 */
export class RedisSessionStore extends SessionStore {
  private readonly keys: RedisSessionKeys;
  private readonly lookups: RedisSessionLookups;
  private readonly sweeper: RedisSessionSweeper;
  /** First segment of every key of this store. */
  readonly prefix: string;

  constructor(
    /** The ioredis client (or Cluster) this store runs on; the caller owns and closes it. */
    readonly client: Redis | Cluster,
    options: RedisSessionStoreOptions = {},
  ) {
    super();
    this.prefix = options.prefix ?? 'sess';
    this.keys = new RedisSessionKeys(this.prefix);
    this.lookups = new RedisSessionLookups(client, this.keys);
    this.sweeper = new RedisSessionSweeper(client, this.keys, this.lookups);
    // ioredis would prefix KEYS but not the keys the scripts derive, nor SCAN patterns.
    if (client.options.keyPrefix) {
      throw new Error(
        'RedisSessionStore: the ioredis client has a keyPrefix; remove it and pass ' +
          '{ prefix } to RedisSessionStore instead.',
      );
    }
  }

  async create(record: SessionRecord, params: CreateSessionParams): Promise<CreateSessionResult> {
    const { limit, now, evictedPurgeAfter } = params;
    const { user, member } = addressOf(record);
    const ttl = ttlMs(record.purgeAfter, now);
    // Pointers first, record second: if we die in between, a pointer leads to nothing and reads
    // as "not found". The reverse order could leave a live session that no token or id finds,
    // yet counts against the user's limit until it idles out.
    await this.lookups.publish(record, ttl);
    const reply = (await this.run(
      lua.CREATE,
      [this.keys.index(user), this.keys.record(user, member)],
      [
        ms(now),
        limit ? String(limit.max) : '',
        limit?.strategy ?? '',
        ms(evictedPurgeAfter),
        String(ttlMs(evictedPurgeAfter, now)),
        String(ttl),
        ms(record.createdAt),
        member,
        params.authenticatedSince ? ms(params.authenticatedSince) : '',
        ...toHashFields(record),
      ],
    )) as [number, number, ...string[][]];
    if (reply[0] !== 1) {
      await this.lookups.withdraw(record);
      return reply[0] === 2
        ? { created: false, reason: 'revoked' }
        : { created: false, reason: 'limit', activeCount: reply[1] };
    }
    const evicted = this.records(reply.slice(2) as string[][]);
    await this.lookups.retime(evicted, now);
    return { created: true, evicted };
  }

  async findByTokenHash(tokenHash: Buffer): Promise<SessionRecord | null> {
    // The hot path of every request. On standalone Redis one GET of the session's snapshot
    // answers (a snapshot sits only under its session's CURRENT hash).
    if (!this.client.isCluster) {
      const hashHex = tokenHash.toString('hex');
      const json = await this.client.get(this.keys.snapshot(hashHex));
      if (json !== null) {
        const fields = JSON.parse(json) as Record<string, string>;
        return fields.tokenHash === hashHex ? toSessionRecord(fields, tokenHash) : null;
      }
    }
    // No snapshot: Cluster keeps none; else an unknown or rotated-away hash, data written before
    // snapshots existed, or a snapshot evicted under `maxmemory`. The pointer leads to the record.
    const at = await this.lookups.byHash(tokenHash);
    const record = at && (await this.read(at));
    // The pointer of a rotated-away hash stays for its tombstone: only the session whose
    // CURRENT hash this is answers.
    return record?.tokenHash.equals(tokenHash) ? record : null;
  }

  async findRotatedToken(tokenHash: Buffer): Promise<RotatedTokenRecord | null> {
    const at = await this.lookups.byHash(tokenHash);
    if (!at) return null;
    const tombstone = this.keys.tombstone(at.user, tokenHash.toString('hex'));
    return toRotatedTokenRecord(tokenHash, await this.client.hgetall(tombstone));
  }

  async findById(id: string): Promise<SessionRecord | null> {
    const at = await this.lookups.byId(id);
    return at && this.read(at);
  }

  async touch(
    id: string,
    params: { lastSeenAt: Date; idleExpiresAt: Date; notAfter: Date; now: Date },
  ): Promise<boolean> {
    const { notAfter, lastSeenAt, idleExpiresAt, now } = params;
    const args = [ms(now), ms(notAfter), ms(lastSeenAt), ms(idleExpiresAt)];
    return (await this.runOnSession(id, lua.TOUCH, args)) === 1;
  }

  async rotate(id: string, params: RotateSessionParams): Promise<SessionRecord | null> {
    const at = await this.lookups.byId(id);
    if (!at) return null;
    const { now, expectedGeneration, graceUntil, purgeAfter } = params;
    const tombTtl = ttlMs(purgeAfter, now);
    // The script writes the tombstone in the user's slot in the same step as the swap, and the
    // old hash's pointer already leads there: a parallel request with the old token finds the
    // tombstone (and its grace) at every instant.
    const reply = (await this.run(
      lua.ROTATE,
      [this.keys.rotatedIndex(at.user), this.keys.record(at.user, at.member)],
      [
        ms(now),
        expectedGeneration === undefined ? '' : String(expectedGeneration),
        params.newTokenHash.toString('hex'),
        params.newCsrfToken,
        params.reauthenticated ? '1' : '0',
        graceUntil ? ms(graceUntil) : '',
        ms(purgeAfter),
        String(tombTtl),
      ],
    )) as [string, string[]] | null;
    const record = reply && toSessionRecord(reply[1]);
    if (!reply || !record) return null;
    // Nobody knows the new token before we return, so publishing its pointer now is in time.
    await this.lookups.rotated(at, reply[0], record, now, tombTtl);
    return record;
  }

  async end(id: string, params: EndSessionParams): Promise<SessionRecord | null> {
    const { now, reason, purgeAfter } = params;
    const ttl = String(ttlMs(purgeAfter, now));
    const reply = await this.runOnSession(id, lua.END, [ms(now), reason, ms(purgeAfter), ttl]);
    const record = reply ? toSessionRecord(reply as string[]) : null;
    if (record) await this.lookups.retime([record], now);
    return record;
  }

  async endAllForUser(userId: string, params: EndAllForUserParams): Promise<SessionRecord[]> {
    const except = params.exceptId === undefined ? '' : escapeKeyPart(params.exceptId);
    return this.endIndex(this.keys.index(escapeKeyPart(userId)), params, except);
  }

  /**
   * Unlike the SQL store's single UPDATE, not one atomic step: it SCANs every master for user
   * indexes and ends each user's sessions in one script per user. A session created while the
   * sweep runs may survive it; run it again once the cause is fixed.
   */
  async endAll(params: EndSessionParams): Promise<number> {
    let count = 0;
    for await (const page of scanMasters(this.client, this.keys.userIndexPattern())) {
      for (const index of page.filter((key) => key.endsWith(':ids'))) {
        count += (await this.endIndex(index, params, '')).length;
      }
    }
    return count;
  }

  async listActive(userId: string, now: Date): Promise<SessionRecord[]> {
    const index = this.keys.index(escapeKeyPart(userId));
    const reply = (await this.run(lua.LIST, [index], [ms(now), '0'])) as string[][];
    // The SQL store's order: newest first, then by id.
    return this.records(reply).sort(
      (a, b) =>
        b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
    );
  }

  async countActive(userId: string, now: Date): Promise<number> {
    const index = this.keys.index(escapeKeyPart(userId));
    return (await this.run(lua.LIST, [index], [ms(now), '1'])) as number;
  }

  override async recordSighting(id: string, ip: string, at: Date): Promise<boolean> {
    return (await this.runOnSession(id, lua.RECORD_SIGHTING, [ms(at), ip])) !== null;
  }

  override async bindKey(id: string, boundKey: string, now: Date): Promise<SessionRecord | null> {
    const reply = await this.runOnSession(id, lua.BIND_KEY, [ms(now), boundKey]);
    return reply ? toSessionRecord(reply as string[]) : null;
  }

  async updateData(
    id: string,
    data: Record<string, unknown>,
    now: Date,
  ): Promise<SessionRecord | null> {
    const reply = await this.runOnSession(id, lua.UPDATE_DATA, [ms(now), JSON.stringify(data)]);
    return reply ? toSessionRecord(reply as string[]) : null;
  }

  override async claimProof(key: string, expiresAt: Date, now: Date): Promise<boolean> {
    const claimed = await runScript(
      this.client,
      lua.CLAIM_PROOF,
      [this.keys.usedProof(key)],
      [ms(now), ms(expiresAt), String(ttlMs(expiresAt, now))],
    );
    return claimed === 1;
  }

  /** See `RedisSessionSweeper`: TTLs do most of it; this catches up with the caller's clock. */
  async purge(now: Date, batchSize: number): Promise<number> {
    return this.sweeper.purge(now, batchSize);
  }

  private async endIndex(
    index: string,
    params: EndSessionParams & Pick<EndAllForUserParams, 'watermark'>,
    except: string,
  ): Promise<SessionRecord[]> {
    const { now, reason, purgeAfter, watermark } = params;
    const ttl = String(ttlMs(purgeAfter, now));
    const reply = (await this.run(
      lua.END_USER,
      [index],
      [ms(now), reason, ms(purgeAfter), ttl, except, watermark ? ms(watermark) : '', ttl],
    )) as string[][];
    const ended = this.records(reply);
    await this.lookups.retime(ended, now);
    return ended;
  }

  private async read(at: SessionAddress): Promise<SessionRecord | null> {
    return toSessionRecord(await this.client.hgetall(this.keys.record(at.user, at.member)));
  }

  /** Runs a script with KEYS = [user index, record] of session `id`; null when unknown. */
  private async runOnSession(
    id: string,
    script: lua.SessionScript,
    args: string[],
  ): Promise<unknown> {
    const at = await this.lookups.byId(id);
    if (!at) return null;
    return this.run(script, [this.keys.index(at.user), this.keys.record(at.user, at.member)], args);
  }

  private records(replies: HashReply[]): SessionRecord[] {
    return replies.map((reply) => toSessionRecord(reply)).filter((r) => r !== null);
  }

  private run(script: lua.SessionScript, keys: string[], args: string[]): Promise<unknown> {
    return runScript(this.client, lua.buildFor(script, this.client), keys, args);
  }
}
