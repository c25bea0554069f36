import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { loadAppConfig } from '../config/app-config';
import { openDatabaseConnection } from '../config/database.config';

/**
 * Data source for the TypeORM CLI, configured from the same environment variables as the app, e.g.
 *   npx typeorm migration:show -d dist/apps/sample-app/apps/sample-app/src/database/data-source.js
 * The app runs the migrations itself at start (or `npm run migrate` does, under the same lock); the
 * CLI is for inspecting or reverting them. On the embedded database, stop the app first: PGlite's
 * files belong to one process at a time.
 */
const config = loadAppConfig(process.env);

export default new DataSource(
  openDatabaseConnection(config.database, config.databaseTimeouts).options,
);
