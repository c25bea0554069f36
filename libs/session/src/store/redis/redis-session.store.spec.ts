import { randomBytes, randomUUID } from 'node:crypto';
import { Cluster, Redis } from 'ioredis';
import { describeWithRedis } from '../../../testing/requires-redis';
import { describeSessionStore } from '../../testing/session-store.conformance';
import { makeSessionRecord } from '../../testing/session-record.factory';
import { generateSessionToken, hashSessionToken } from '../../token/session-token';
import { scanMasters } from './redis-session.commands';
import { RedisSessionStore } from './redis-session.store';

const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
/** Optional: `host:port,host:port,…` of a Redis Cluster to run everything there too. */
const clusterNodes = process.env.REDIS_CLUSTER_NODES;
const T0 = new Date('2026-03-01T12:00:00.000Z');
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);
const DAY_MS = 86_400_000;

type Client = Redis | Cluster;
const targets: [string, () => Client][] = [
  ['Redis', () => new Redis(url, { maxRetriesPerRequest: 1 })],
];
if (clusterNodes) {
  const nodes = clusterNodes.split(',').map((node) => {
    const [host, port] = node.split(':');
    return { host, port: Number(port) };
  });
  targets.push(['Redis Cluster', () => new Cluster(nodes)]);
} else {
  it.todo('RedisSessionStore on Redis Cluster: set REDIS_CLUSTER_NODES=host:port,… to run it');
}

/** A client and a key prefix of its own (random per run); close() deletes its keys. */
function open(connect: () => Client) {
  const client = connect();
  const prefix = `test-sess-${process.env.JEST_WORKER_ID ?? '0'}-${randomBytes(4).toString('hex')}`;
  const keys = async () => {
    const found: string[] = [];
    for await (const page of scanMasters(client, `${prefix}:*`)) found.push(...page);
    return found;
  };
  return {
    client,
    prefix,
    store: new RedisSessionStore(client, { prefix }),
    keys,
    close: async () => {
      for (const key of await keys()) await client.del(key);
      await client.quit();
    },
  };
}

/** Every value under a key, as text, whatever its type. */
async function dump(client: Client, key: string): Promise<string> {
  const type = await client.type(key);
  if (type === 'string') return (await client.get(key)) ?? '';
  if (type === 'hash') return JSON.stringify(await client.hgetall(key));
  if (type === 'zset') return JSON.stringify(await client.zrange(key, 0, -1, 'WITHSCORES'));
  throw new Error(`unexpected ${type} at ${key}`);
}

/** The hash tag Redis Cluster slots a key by: the text in the first `{…}`, else the key. */
function hashTag(key: string): string {
  const start = key.indexOf('{');
  const end = key.indexOf('}', start + 1);
  return start >= 0 && end > start + 1 ? key.slice(start + 1, end) : key;
}

describeWithRedis('RedisSessionStore', () =>
  describe.each(targets)('on %s', (name, connect) => {
    describeSessionStore(`RedisSessionStore (${name})`, async () => {
      const redis = open(connect);
      return { store: redis.store, close: redis.close };
    });

    let redis: ReturnType<typeof open>;
    beforeEach(() => {
      redis = open(connect);
    });
    afterEach(async () => redis.close());

    const create = (overrides: Parameters<typeof makeSessionRecord>[1] = {}) => {
      const record = makeSessionRecord(T0, { userId: `user-${randomUUID()}`, ...overrides });
      return redis.store
        .create(record, { now: T0, evictedPurgeAfter: at(3600) })
        .then(() => record);
    };

    /** Creates, rotates (with a tombstone) and ends sessions: every kind of key exists after. */
    const exercise = async () => {
      const record = await create();
      await redis.store.rotate(record.id, {
        newTokenHash: randomBytes(32),
        newCsrfToken: 'csrf-2',
        now: at(5),
        graceUntil: at(35),
        purgeAfter: at(3600),
        reauthenticated: false,
      });
      const other = await create({ userId: record.userId });
      await redis.store.end(other.id, { reason: 'logout', now: at(10), purgeAfter: at(7200) });
      return record;
    };

    it('gives every key it writes a TTL, so nothing lingers without purge()', async () => {
      await exercise();
      const keys = await redis.keys();
      expect(keys.length).toBeGreaterThanOrEqual(8);
      const pttls = await Promise.all(keys.map(async (key) => [key, await redis.client.pttl(key)]));
      expect(pttls.filter(([, pttl]) => Number(pttl) <= 0)).toEqual([]);
    });

    it('computes TTLs from the caller clock, not from Redis server time', async () => {
      // T0 is months away from the real date: an absolute PEXPIREAT would be in the past.
      const record = await create({ purgeAfter: new Date(T0.getTime() + 2 * DAY_MS) });
      const pttl = await redis.client.pttl(`${redis.prefix}:{${record.userId}}:s:${record.id}`);
      expect(pttl).toBeGreaterThan(2 * DAY_MS - 60_000);
      expect(pttl).toBeLessThanOrEqual(2 * DAY_MS);
    });

    it('pointers expire with their record once ending changed its retention', async () => {
      const record = await create();
      await redis.store.end(record.id, { reason: 'logout', now: at(10), purgeAfter: at(70) });
      const ttls = await Promise.all(
        [
          `${redis.prefix}:{${record.userId}}:s:${record.id}`,
          `${redis.prefix}:id:${record.id}`,
          `${redis.prefix}:hash:${record.tokenHash.toString('hex')}`,
        ].map((key) => redis.client.pttl(key)),
      );
      for (const ttl of ttls) expect(ttl).toBeGreaterThan(55_000);
      for (const ttl of ttls) expect(ttl).toBeLessThanOrEqual(60_000);
    });

    it('holds the limit when creates race from separate connections', async () => {
      // One ioredis connection runs commands in order; several connections interleave for real.
      const clients = Array.from({ length: 5 }, connect);
      const stores = clients.map((c) => new RedisSessionStore(c, { prefix: redis.prefix }));
      const userId = `user-${randomUUID()}`;
      try {
        const results = await Promise.all(
          Array.from({ length: 30 }, (_, i) =>
            stores[i % stores.length].create(makeSessionRecord(T0, { userId }), {
              limit: { max: 3, strategy: 'reject' },
              now: T0,
              evictedPurgeAfter: at(3600),
            }),
          ),
        );
        expect(results.filter((r) => r.created)).toHaveLength(3);
        expect(await redis.store.countActive(userId, T0)).toBe(3);
        // The 27 rejected creates left no pointer behind.
        expect((await redis.keys()).filter((k) => k.includes(':id:'))).toHaveLength(3);
      } finally {
        await Promise.all(clients.map((c) => c.quit()));
      }
    });

    it('endAll ends the live sessions of every user', async () => {
      const a = await create();
      await create({ userId: a.userId });
      const b = await create();
      const ended = await create();
      await redis.store.end(ended.id, { reason: 'logout', now: at(1), purgeAfter: at(3600) });
      const params = { reason: 'admin' as const, now: at(10), purgeAfter: at(3600) };
      expect(await redis.store.endAll(params)).toBe(3);
      expect(await redis.store.countActive(a.userId, at(10))).toBe(0);
      expect((await redis.store.findById(b.id))?.endReason).toBe('admin');
      expect((await redis.store.findById(ended.id))?.endReason).toBe('logout');
    });

    it('stores no raw token in any key or value', async () => {
      const token = generateSessionToken();
      const record = await create({ tokenHash: hashSessionToken(token) });
      const next = generateSessionToken();
      await redis.store.rotate(record.id, {
        newTokenHash: hashSessionToken(next),
        newCsrfToken: 'csrf-2',
        now: at(5),
        graceUntil: at(35),
        purgeAfter: at(3600),
        reauthenticated: false,
      });
      const forms = [token, next].flatMap((t) => [
        t,
        Buffer.from(t, 'base64url').toString('hex'),
        Buffer.from(t, 'base64url').toString('base64'),
      ]);
      for (const key of await redis.keys()) {
        const text = `${key} ${await dump(redis.client, key)}`;
        for (const form of forms) expect(text).not.toContain(form);
      }
    });

    it('runs every script on the keys of one hash tag (one Redis Cluster slot)', async () => {
      const evalsha = jest.spyOn(redis.client, 'evalsha');
      await exercise();
      await redis.store.purge(at(1), 100);
      expect(evalsha).toHaveBeenCalled();
      for (const [, numKeys, ...rest] of evalsha.mock.calls as unknown as [
        string,
        number,
        ...string[],
      ][]) {
        const tags = new Set(rest.slice(0, numKeys).map(hashTag));
        expect(tags.size).toBe(1);
      }
    });

    it('keeps users apart whose ids contain braces, colons and percent signs', async () => {
      const tricky = await create({ userId: 'a}:{b%7D:' });
      const plain = await create({ userId: 'a' });
      expect(await redis.store.findById(tricky.id)).toEqual(tricky);
      expect(await redis.store.findByTokenHash(tricky.tokenHash)).toEqual(tricky);
      expect((await redis.store.listActive('a}:{b%7D:', T0)).map((s) => s.id)).toEqual([tricky.id]);
      expect((await redis.store.listActive('a', T0)).map((s) => s.id)).toEqual([plain.id]);
    });

    it('purge drops index entries whose record Redis already expired', async () => {
      const record = await create();
      // What a TTL expiry does: the record vanishes, its id stays in the user's index.
      await redis.client.del(`${redis.prefix}:{${record.userId}}:s:${record.id}`);
      expect(await redis.store.purge(T0, 100)).toBe(1);
      expect(await redis.client.zcard(`${redis.prefix}:{${record.userId}}:ids`)).toBe(0);
    });

    it('purge continues one SCAN pass across calls, and one instance sweeps at a time', async () => {
      const records = await Promise.all(
        Array.from({ length: 5 }, () => create({ purgeAfter: at(10) })),
      );
      const other = new RedisSessionStore(redis.client, { prefix: redis.prefix });
      let removed = await redis.store.purge(at(20), 2);
      expect(removed).toBe(2);
      // Another instance finds the sweeper role taken and leaves the work to it.
      expect(await other.purge(at(20), 100)).toBe(0);
      for (let i = 0; i < 5; i++) removed += await redis.store.purge(at(20), 2);
      expect(removed).toBe(5);
      for (const r of records) expect(await redis.store.findById(r.id)).toBeNull();
      expect((await redis.keys()).filter((k) => !k.endsWith(':lock:purge'))).toEqual([]);
    });

    /** The record of session `id` (its hash fields) and its snapshot, which must be equal. */
    const expectSnapshotOf = async (userId: string, id: string) => {
      const recordKey = `${redis.prefix}:{${userId}}:s:${id}`;
      const fields = await redis.client.hgetall(recordKey);
      const snapshotKey = `${redis.prefix}:snap:${fields.tokenHash}`;
      expect(JSON.parse((await redis.client.get(snapshotKey)) ?? 'null')).toEqual(fields);
      const [recordTtl, snapshotTtl] = await Promise.all(
        [recordKey, snapshotKey].map((key) => redis.client.pttl(key)),
      );
      expect(Math.abs(recordTtl - snapshotTtl)).toBeLessThan(1000);
    };
    const snapshotKeys = async () => (await redis.keys()).filter((k) => k.includes(':snap:'));

    if (name === 'Redis') {
      it('keeps every record and its snapshot equal through every kind of write', async () => {
        const first = await create();
        const { userId } = first;
        const limit = { max: 1, strategy: 'evict-oldest' as const };
        const second = makeSessionRecord(at(1), { userId });
        await redis.store.create(second, { limit, now: at(1), evictedPurgeAfter: at(3600) });
        await expectSnapshotOf(userId, first.id); // evicted: ended by the create script
        await expectSnapshotOf(userId, second.id);

        await redis.store.touch(second.id, {
          lastSeenAt: at(120),
          idleExpiresAt: at(1920),
          notAfter: at(60),
          now: at(120),
        });
        await expectSnapshotOf(userId, second.id);
        await redis.store.updateData(second.id, { theme: 'dark' }, at(130));
        await expectSnapshotOf(userId, second.id);

        const rotated = await redis.store.rotate(second.id, {
          newTokenHash: randomBytes(32),
          newCsrfToken: 'csrf-2',
          now: at(140),
          graceUntil: at(170),
          purgeAfter: at(3600),
          reauthenticated: true,
        });
        await expectSnapshotOf(userId, second.id);
        expect(
          await redis.client.exists(`${redis.prefix}:snap:${second.tokenHash.toString('hex')}`),
        ).toBe(0);
        expect(await redis.store.findByTokenHash(second.tokenHash)).toBeNull();
        expect(await redis.store.findByTokenHash(rotated!.tokenHash)).toEqual(rotated);

        await redis.store.end(second.id, { reason: 'logout', now: at(150), purgeAfter: at(200) });
        await expectSnapshotOf(userId, second.id);
        const third = await create({ userId });
        await redis.store.endAllForUser(userId, {
          reason: 'admin',
          now: at(160),
          purgeAfter: at(210),
        });
        await expectSnapshotOf(userId, third.id);
        expect(await snapshotKeys()).toHaveLength(3);

        await redis.store.purge(at(3601), 100);
        expect(await snapshotKeys()).toEqual([]);
      });

      it('still finds a session whose snapshot is missing (older data, maxmemory eviction)', async () => {
        const record = await create();
        await redis.client.del(`${redis.prefix}:snap:${record.tokenHash.toString('hex')}`);
        expect(await redis.store.findByTokenHash(record.tokenHash)).toEqual(record);
        expect(await redis.store.findByTokenHash(randomBytes(32))).toBeNull();
      });
    } else {
      it('keeps no snapshots on Redis Cluster (they would sit in another slot)', async () => {
        await exercise();
        expect(await snapshotKeys()).toEqual([]);
      });
    }

    it('falls back from EVALSHA to EVAL when Redis lost its script cache', async () => {
      // What a restart, failover or SCRIPT FLUSH does; simulated so the shared server is untouched.
      jest
        .spyOn(redis.client, 'evalsha')
        .mockRejectedValueOnce(new Error('NOSCRIPT No matching script. Please use EVAL.'));
      const record = await create();
      expect(await redis.store.countActive(record.userId, T0)).toBe(1);
    });

    it('refuses a client with a keyPrefix and a prefix with braces', () => {
      const prefixed = new Redis(url, { keyPrefix: 'app:', lazyConnect: true });
      expect(() => new RedisSessionStore(prefixed)).toThrow(/keyPrefix/);
      expect(() => new RedisSessionStore(redis.client, { prefix: '{app}' })).toThrow(/prefix/);
      prefixed.disconnect();
    });
  }),
);
