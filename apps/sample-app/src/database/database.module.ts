import { type DynamicModule, Module, type OnApplicationShutdown } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource, type DataSourceOptions } from 'typeorm';
import type { AppConfig } from '../config/app-config';
import { type DatabaseConnection, openDatabaseConnection } from '../config/database.config';
import type { PgliteDriver } from '@app/pglite';
import { PendingMigrationsError } from './pending-migrations.error';
import { runMigrationsExclusively } from './migrations-runner';

/** Closes the embedded database once the DataSource no longer uses it. */
class DatabaseShutdown implements OnApplicationShutdown {
  constructor(
    private readonly dataSource: DataSource,
    private readonly connection: DatabaseConnection,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    // TypeORM's own shutdown hook may run before or after this one; whichever runs first destroys
    // the pool (both check isInitialized), and PGlite is closed only after that.
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
    await this.connection.close();
  }
}

/** The app's TypeORM DataSource, on PostgreSQL or the embedded database. */
@Module({})
export class DatabaseModule {
  static forRoot(config: AppConfig, sharedEmbedded?: PgliteDriver): DynamicModule {
    const connection = openDatabaseConnection(
      config.database,
      config.databaseTimeouts,
      sharedEmbedded,
    );
    return {
      module: DatabaseModule,
      imports: [
        TypeOrmModule.forRootAsync({
          useFactory: () => ({
            ...connection.options,
            // Enough to ride out a database that starts a few seconds after the app.
            retryAttempts: 3,
            retryDelay: 1000,
            // A pending migration will still be pending in a second.
            toRetry: (error: unknown) => !(error instanceof PendingMigrationsError),
          }),
          dataSourceFactory: (options) => openMigrated(options!, config),
        }),
      ],
      providers: [
        {
          provide: DatabaseShutdown,
          inject: [DataSource],
          useFactory: (dataSource: DataSource) => new DatabaseShutdown(dataSource, connection),
        },
      ],
    };
  }
}

/** An initialized DataSource whose schema is current, or none (each retry starts afresh). */
async function openMigrated(options: DataSourceOptions, config: AppConfig): Promise<DataSource> {
  const dataSource = await new DataSource(options).initialize();
  try {
    if (config.runMigrations) {
      await runMigrationsExclusively(dataSource);
    } else if (await dataSource.showMigrations()) {
      throw new PendingMigrationsError();
    }
    return dataSource;
  } catch (error) {
    await dataSource.destroy();
    throw error;
  }
}
