import { TypeOrmModule } from '@nestjs/typeorm';
import type { DynamicModule } from '@nestjs/common';
import { sessionEntities } from '@app/session/typeorm';
import { PG_POOL_SIZE } from '../../shared/bench-targets';
import type { ServerConfig } from '../server-config';

/** The DataSource the library's default store runs on, configured like the sample app's. */
export function benchTypeOrmModule(config: ServerConfig): DynamicModule {
  return TypeOrmModule.forRoot({
    type: 'postgres',
    url: config.databaseUrl,
    schema: config.schema,
    entities: sessionEntities,
    synchronize: false,
    migrationsRun: false,
    uuidExtension: 'pgcrypto',
    installExtensions: false,
    applicationName: config.appName,
    poolSize: PG_POOL_SIZE,
    // The store issues unqualified SQL: the schema is chosen by the search_path, as in the sample app.
    extra: { options: `-c search_path=${config.schema}` },
    retryAttempts: 0,
  });
}
