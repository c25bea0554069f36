import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { RedisSessionStore } from '@app/session/redis';
import type { SessionRecord } from '@app/session/store';
import { BENCH_CLIENT_IP, BENCH_USER_AGENT } from '../shared/bench-targets';
import type { ServerConfig } from './server-config';
import { benchRedisClient } from './targets/guarded-redis.module';

const DAY_MS = 86_400_000;
const CONCURRENCY = 64;

/**
 * Fills the Redis store through its own `create()` — the key layout is the store's business —
 * with `count` filler sessions plus the known one (`token`), live for 30 days, last seen now.
 */
export async function seedRedis(
  config: ServerConfig,
  count: number,
  token: string,
): Promise<{ seeded: number }> {
  const client = benchRedisClient(config.redisUrl);
  try {
    const store = new RedisSessionStore(client, { prefix: config.redisPrefix });
    const now = new Date();
    const far = new Date(now.getTime() + 30 * DAY_MS);
    const record = (i: number): SessionRecord => ({
      id: randomUUID(),
      userId: i < 0 ? 'bench-user' : `user-${i % 20_000}`,
      tokenHash: createHash('sha256')
        .update(i < 0 ? token : `bench-seed-${i}`, 'utf8')
        .digest(),
      csrfToken: randomBytes(32).toString('base64url'),
      data: {},
      ip: BENCH_CLIENT_IP,
      userAgent: BENCH_USER_AGENT,
      boundKey: null,
      lastIp: null,
      lastIpAt: null,
      createdAt: now,
      lastSeenAt: now,
      idleExpiresAt: far,
      absoluteExpiresAt: far,
      authenticatedAt: now,
      rotatedAt: now,
      generation: 0,
      endedAt: null,
      endReason: null,
      purgeAfter: new Date(now.getTime() + 60 * DAY_MS),
    });
    const params = { now, evictedPurgeAfter: far };
    let next = 0;
    const worker = async () => {
      while (next < count) await store.create(record(next++), params);
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    await store.create(record(-1), params);
    return { seeded: count + 1 };
  } finally {
    await client.quit();
  }
}

/** Deletes every key under the run's prefix (the store's keys live up to 60 days otherwise). */
export async function clearRedis(config: ServerConfig): Promise<{ deleted: number }> {
  const client = benchRedisClient(config.redisUrl);
  try {
    let deleted = 0;
    let cursor = '0';
    do {
      const [next, keys] = await client.scan(
        cursor,
        'MATCH',
        `${config.redisPrefix}:*`,
        'COUNT',
        1000,
      );
      cursor = next;
      if (keys.length > 0) deleted += await client.unlink(...keys);
    } while (cursor !== '0');
    return { deleted };
  } finally {
    await client.quit();
  }
}
