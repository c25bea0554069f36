import { Redis } from 'ioredis';

/**
 * Changes to the dataset since the last save (`rdb_changes_since_last_save`): what was actually
 * written, whether by a plain command or inside a script — a read-only script counts nothing.
 * Server-wide: run the benchmark when nothing else uses this Redis, or the figure includes
 * others' writes. (The CI Redis runs with `--save ''`, so the counter only grows.)
 */
export async function redisWriteCommands(url: string): Promise<number> {
  const info = await redisInfo(url, 'persistence');
  const match = /^rdb_changes_since_last_save:(\d+)/m.exec(info);
  if (!match) throw new Error('INFO persistence has no rdb_changes_since_last_save');
  return Number(match[1]);
}

/**
 * CPU µs the Redis server has used so far (user + system, all its threads), from its own
 * `INFO cpu`: the Redis counterpart of the PostgreSQL backends' CPU. Server-wide, like the
 * write count. Lua scripts run inside Redis, so this is where their cost shows.
 */
export async function redisCpuMicros(url: string): Promise<number> {
  const info = await redisInfo(url, 'cpu');
  const seconds = (name: string) => Number(new RegExp(`^${name}:([\\d.]+)`, 'm').exec(info)?.[1]);
  const total = seconds('used_cpu_user') + seconds('used_cpu_sys');
  if (!Number.isFinite(total)) throw new Error('INFO cpu has no used_cpu_user / used_cpu_sys');
  return total * 1e6;
}

async function redisInfo(url: string, section: string): Promise<string> {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await client.connect();
    return await client.info(section);
  } finally {
    client.disconnect();
  }
}
