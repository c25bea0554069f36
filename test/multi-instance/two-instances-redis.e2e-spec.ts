import { describeWithPostgres } from '../support/requires-postgres';
import { describeTwoInstances } from './two-instances';

/*
 * The same contracts with SESSION_STORE=redis: both processes share one Redis (one key prefix);
 * the limit is enforced by one Lua script per user, atomic across clients. Users stay in
 * PostgreSQL, so this needs DATABASE_URL too.
 */
describeWithPostgres('two sample-app processes, sessions in Redis', () => {
  describeTwoInstances('redis');
});
