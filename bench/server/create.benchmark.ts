import { randomInt } from 'node:crypto';
import { NestFactory } from '@nestjs/core';
import { SessionService } from '@app/session';
import { BENCH_CLIENT_IP, BENCH_USER_AGENT, type CreateResult } from '../shared/bench-targets';
import { measureThroughput } from './measure-throughput';
import type { ServerConfig } from './server-config';
import { GuardedPgModule } from './targets/guarded-pg.module';

/** Live sessions a user may hold during the create benchmark (evict-oldest beyond it). */
export const CREATE_LIMIT = 5;

/**
 * Throughput of SessionService.create under the per-user limit: `concurrency` workers create
 * sessions for random users among `users`, so most creates also evict (after the first few
 * seconds every user holds CREATE_LIMIT sessions). No HTTP and no password hashing: this is the
 * library's cost of a login, nothing else.
 */
export async function runCreateBenchmark(config: ServerConfig): Promise<CreateResult> {
  const app = await NestFactory.createApplicationContext(
    GuardedPgModule.register(config, { maxSessionsPerUser: CREATE_LIMIT }),
  );
  try {
    const sessions = app.get(SessionService);
    const { users } = config.create;
    const context = { ip: BENCH_CLIENT_IP, userAgent: BENCH_USER_AGENT };
    return await measureThroughput(
      () => sessions.create(`create-user-${randomInt(users)}`, context),
      config.create,
    );
  } finally {
    await app.close();
  }
}
