import { describeWithPostgres } from '../support/requires-postgres';
import { describeTwoInstances } from './two-instances';

/*
 * Two real sample-app processes (the built app, different ports) on one PostgreSQL schema: what
 * one process revokes, the other refuses at once (no per-process cache), and the per-user
 * session limit holds when logins race across processes (the advisory lock is in the database,
 * not in a process).
 */
describeWithPostgres('two sample-app processes, sessions in PostgreSQL', () => {
  describeTwoInstances('postgres');
});
