import { Pool } from 'pg';
import { PG_POOL_SIZE } from '../../shared/bench-targets';
import type { ServerConfig } from '../server-config';

/**
 * A pg.Pool as every PostgreSQL target gets it: the same size as the library's DataSource, the
 * application name the driver finds its backends by, and the target's schema on the search_path.
 */
export function benchPgPool(config: ServerConfig): Pool {
  return new Pool({
    connectionString: config.databaseUrl,
    max: PG_POOL_SIZE,
    application_name: config.appName,
    options: `-c search_path=${config.schema}`,
  });
}
