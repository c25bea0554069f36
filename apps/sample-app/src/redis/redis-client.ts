import { Logger } from '@nestjs/common';
import { Redis } from 'ioredis';
import type { SessionStoreConfig } from '../config/app-config';

export type RedisConfig = Extract<SessionStoreConfig, { kind: 'redis' }>;

/**
 * An ioredis client that fails fast: with Redis down or slow, a command errors within
 * `commandTimeoutMs` (or at once, when the client knows it is disconnected) instead of queueing
 * until Redis returns. The session guard turns that error into a 503; waiting would only pile up
 * requests. The client keeps reconnecting in the background, so the app recovers by itself.
 *
 * Resolves once connected: a Redis that is unreachable at boot fails the boot.
 */
export async function connectRedis(
  config: RedisConfig,
  logger = new Logger('Redis'),
): Promise<Redis> {
  const client = new Redis(config.url, {
    lazyConnect: true,
    connectTimeout: config.connectTimeoutMs,
    commandTimeout: config.commandTimeoutMs,
    // Commands are never parked while disconnected (the offline queue), and one in flight when
    // the connection drops is retried at most once after reconnecting.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    // Reconnect quickly at first, then every 2 s at most, forever.
    retryStrategy: (attempt) => Math.min(attempt * 100, 2000),
  });
  // One log line per outage rather than one per reconnect attempt; without an 'error' listener
  // ioredis would print every failure to stderr.
  let healthy = true;
  client.on('error', (error: Error) => {
    if (!healthy) return;
    healthy = false;
    logger.warn(`Redis connection failed: ${error.message}; reconnecting`);
  });
  client.on('ready', () => {
    if (healthy) return;
    healthy = true;
    logger.log('Redis connection restored');
  });
  try {
    await client.connect();
  } catch (error) {
    client.disconnect();
    // The URL may carry a password: it is not part of the message.
    throw new Error(
      `Redis (REDIS_URL) is unreachable: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
  return client;
}

/** QUIT (lets replies in flight arrive), or a hard disconnect when Redis no longer answers. */
export async function closeRedis(client: Redis): Promise<void> {
  if (client.status === 'end') return;
  try {
    await client.quit();
  } catch {
    client.disconnect();
  }
}
