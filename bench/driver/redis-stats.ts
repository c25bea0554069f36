import { Redis } from 'ioredis';

/**
 * Changes to the dataset since the last save (`rdb_changes_since_last_save`): what was actually
 * written, whether by a plain command or inside a script — a read-only script counts nothing.
 * Server-wide: run the benchmark when nothing else uses this Redis, or the figure includes
 * others' writes. (The CI Redis runs with `--save ''`, so the counter only grows.)
 */
export async function redisWriteCommands(url: string): Promise<number> {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await client.connect();
    const info = await client.info('persistence');
    const match = /^rdb_changes_since_last_save:(\d+)/m.exec(info);
    if (!match) throw new Error('INFO persistence has no rdb_changes_since_last_save');
    return Number(match[1]);
  } finally {
    client.disconnect();
  }
}
