import { randomBytes } from 'node:crypto';
import { PgNotifyInvalidationChannel } from '@app/session/typeorm';
import { RedisInvalidationChannel } from '@app/session/redis';
import type { SessionInvalidationChannel } from '@app/session/store';
import { Redis } from 'ioredis';
import { Pool } from 'pg';
import { describeWithPostgres } from '../support/requires-postgres';
import { TcpProxy } from '../support/tcp-proxy';
import { TEST_REDIS_URL } from '../support/test-redis';
import { waitFor } from '../support/wait';

/**
 * A network that goes silent (packets held, nothing closed) is what TCP reports only minutes
 * later; meanwhile the instance would miss revocations and keep trusting its cache. The channel's
 * heartbeat must report "down" within two heartbeats (2 s each) and come back by itself once the
 * network does.
 */
describeWithPostgres('invalidation channel on a silent network', () => {
  const HELD_MS = 5000;

  async function expectDownThenUp(
    proxy: TcpProxy,
    channel: SessionInvalidationChannel,
  ): Promise<void> {
    const states: boolean[] = [];
    await channel.subscribe({
      onInvalidate: () => undefined,
      onStateChange: (up) => states.push(up),
    });
    try {
      expect(states.at(-1)).toBe(true);
      proxy.delay(HELD_MS);
      await waitFor(
        async () => states.at(-1),
        (up) => up === false,
        { timeoutMs: 4500 },
      );
      proxy.pass();
      await waitFor(
        async () => states.at(-1),
        (up) => up === true,
        { timeoutMs: HELD_MS + 5000 },
      );
    } finally {
      await channel.close();
    }
  }

  it('Redis: down within two heartbeats, then up again through ioredis', async () => {
    const url = new URL(TEST_REDIS_URL);
    const proxy = await TcpProxy.start({ host: url.hostname, port: Number(url.port || 6379) });
    const client = new Redis({ host: '127.0.0.1', port: proxy.port, maxRetriesPerRequest: 1 });
    try {
      const prefix = `heartbeat-${randomBytes(4).toString('hex')}`;
      await expectDownThenUp(proxy, new RedisInvalidationChannel(client, prefix));
    } finally {
      client.disconnect();
      await proxy.close();
    }
  }, 20_000);

  it('PostgreSQL: down within two heartbeats, then up again', async () => {
    const url = new URL(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test');
    const proxy = await TcpProxy.start({ host: url.hostname, port: Number(url.port || 5432) });
    const proxied = new URL(url);
    proxied.hostname = '127.0.0.1';
    proxied.port = String(proxy.port);
    const pool = new Pool({ connectionString: proxied.toString(), max: 1 });
    try {
      await expectDownThenUp(proxy, new PgNotifyInvalidationChannel(pool));
    } finally {
      await pool.end();
      await proxy.close();
    }
  }, 20_000);
});
