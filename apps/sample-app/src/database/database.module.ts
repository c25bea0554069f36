import { type DynamicModule, Module, type OnApplicationShutdown } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { AppConfig } from '../config/app-config';
import { type DatabaseConnection, openDatabaseConnection } from '../config/database.config';
import type { PgliteDriver } from './embedded/pglite-driver';

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
        TypeOrmModule.forRoot({
          ...connection.options,
          // Enough to ride out a database that starts a few seconds after the app.
          retryAttempts: 3,
          retryDelay: 1000,
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
