import type { Cluster, Redis } from 'ioredis';
import type { LuaScript } from './redis-session.scripts';

/**
 * EVALSHA, falling back to EVAL (which also caches the script) after a restart, failover or
 * SCRIPT FLUSH. Not ioredis' `defineCommand`: that would add methods to the caller's client.
 * On Cluster, ioredis routes the call by its keys, which all share one user's slot.
 */
export async function runScript(
  client: Redis | Cluster,
  script: LuaScript,
  keys: string[],
  args: string[],
): Promise<unknown> {
  try {
    return await client.evalsha(script.sha, keys.length, ...keys, ...args);
  } catch (error) {
    if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
    return client.eval(script.source, keys.length, ...keys, ...args);
  }
}

/**
 * Pages of the keys matching `match` (and of `type`, if given) on every master: SCAN is
 * per node, so on Cluster each master is walked in turn. Keys added while it runs may be missed.
 */
export async function* scanMasters(
  client: Redis | Cluster,
  match: string,
  type?: string,
): AsyncGenerator<string[]> {
  const nodes = client.isCluster ? (client as Cluster).nodes('master') : [client as Redis];
  for (const node of nodes) {
    let cursor = '0';
    do {
      const [next, keys] = type
        ? await node.scan(cursor, 'MATCH', match, 'COUNT', 500, 'TYPE', type)
        : await node.scan(cursor, 'MATCH', match, 'COUNT', 500);
      cursor = next;
      if (keys.length > 0) yield keys;
    } while (cursor !== '0');
  }
}
