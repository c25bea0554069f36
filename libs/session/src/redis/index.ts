/**
 * `@nest-session/core/redis`: sessions in Redis or Redis Cluster. Needs the optional peer
 * `ioredis`.
 */
export {
  RedisSessionStore,
  type RedisSessionStoreOptions,
} from '../store/redis/redis-session.store';
export { RedisInvalidationChannel } from '../store/redis/redis-invalidation.channel';
