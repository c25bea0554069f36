import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';

/** The Redis server the tests use (REDIS_URL, else the local default). */
export const TEST_REDIS_URL = process.env.REDIS_URL?.trim() || 'redis://127.0.0.1:6379';

/** A key prefix for one test file, so its sessions never meet another file's or run's. */
export function uniqueRedisPrefix(): string {
  return `e2e-w${process.env.JEST_WORKER_ID ?? '0'}-${randomBytes(4).toString('hex')}`;
}

/** Deletes every key under `prefix` (what the apps of one test file wrote). */
export async function deleteRedisKeys(prefix: string, url = TEST_REDIS_URL): Promise<void> {
  const client = new Redis(url, { maxRetriesPerRequest: 1 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      if (keys.length > 0) await client.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    await client.quit();
  }
}
