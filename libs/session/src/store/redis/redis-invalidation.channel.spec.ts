import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { describeInvalidationChannel } from '../../testing/invalidation-channel.conformance';
import { describeWithRedis } from '../../../testing/requires-redis';
import { createSessionTestingModule } from '../../testing/session-testing.module';
import type { SessionTestingModule } from '../../testing/session-testing.module';
import { RedisSessionStore } from './redis-session.store';

const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Two "instances" (own client, store and cache) sharing one Redis and one key prefix. */
describeWithRedis('validation cache over Redis pub/sub', () => {
  const prefix = `test-cache-${randomBytes(4).toString('hex')}`;
  const clients: Redis[] = [];
  let a: SessionTestingModule<RedisSessionStore>;
  let b: SessionTestingModule<RedisSessionStore>;

  const instance = async () => {
    const client = new Redis(url, { maxRetriesPerRequest: 1 });
    clients.push(client);
    const t = await createSessionTestingModule(
      { cache: { ttl: 3600 } },
      { store: new RedisSessionStore(client, { prefix }) },
    );
    return t;
  };

  beforeAll(async () => {
    a = await instance();
    b = await instance();
  });
  afterAll(async () => {
    await a?.moduleRef.close();
    await b?.moduleRef.close();
    const keys = await clients[0].keys(`${prefix}:*`);
    if (keys.length > 0) await clients[0].del(...keys);
    await Promise.all(clients.map((client) => client.quit()));
  });

  describeInvalidationChannel(() => ({
    a,
    b,
    cutChannel: async () => {
      await clients[0].client('KILL', 'TYPE', 'pubsub');
    },
  }));
});
