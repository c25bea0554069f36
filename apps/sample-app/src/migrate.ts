import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfigError } from './config/app-config.error';
import { loadAppConfig } from './config/app-config';
import { openDatabaseConnection } from './config/database.config';
import { runMigrationsExclusively } from './database/migrations-runner';

/**
 * `npm run migrate`: the pending migrations, from the same environment as the app, for a deploy
 * that runs them as a step of its own (then start the app with RUN_MIGRATIONS=false). Safe beside
 * replicas that migrate at start: all of them take the same lock. Exits 0 once the schema is
 * current, 1 with the reason otherwise.
 */
async function migrate(): Promise<void> {
  const config = loadAppConfig(process.env);
  const connection = openDatabaseConnection(config.database, config.databaseTimeouts);
  const dataSource = await new DataSource(connection.options).initialize();
  try {
    const applied = await runMigrationsExclusively(dataSource);
    Logger.log(
      applied.length === 0
        ? 'The schema is current: no migration was pending'
        : `Applied ${applied.length} migration(s): ${applied.map((m) => m.name).join(', ')}`,
      'Migrate',
    );
  } finally {
    await dataSource.destroy();
    await connection.close();
  }
}

migrate().catch((error: unknown) => {
  const detail =
    error instanceof AppConfigError || !(error instanceof Error) ? String(error) : error.stack;
  Logger.error(`Migrations failed: ${detail}`, 'Migrate');
  process.exitCode = 1;
});
