import { Redis } from 'ioredis';

/**
 * Commands that may write, as counted by INFO commandstats. Scripts count as writes whether or not
 * they wrote (the Redis store's reads are plain GET/HGETALL; its scripts touch, rotate and end).
 */
const WRITE_COMMANDS = new Set([
  'set',
  'setex',
  'psetex',
  'getset',
  'getdel',
  'hset',
  'hmset',
  'hdel',
  'del',
  'unlink',
  'expire',
  'pexpire',
  'expireat',
  'pexpireat',
  'persist',
  'zadd',
  'zrem',
  'zremrangebyscore',
  'eval',
  'evalsha',
  'fcall',
]);

/**
 * Write commands the Redis server has executed since its start. Server-wide: run the benchmark
 * when nothing else uses this Redis, or the figure includes others' writes.
 */
export async function redisWriteCommands(url: string): Promise<number> {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await client.connect();
    const info = await client.info('commandstats');
    let total = 0;
    for (const match of info.matchAll(/^cmdstat_([a-z_|]+):calls=(\d+)/gm)) {
      if (WRITE_COMMANDS.has(match[1])) total += Number(match[2]);
    }
    return total;
  } finally {
    client.disconnect();
  }
}
