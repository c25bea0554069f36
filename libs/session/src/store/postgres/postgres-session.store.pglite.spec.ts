import { DataSource } from 'typeorm';
import { createPgliteDriver } from '@app/pglite';
import { describeSessionStore } from '../../testing/session-store.conformance';
import { sessionEntities, sessionMigrations } from './session-typeorm.lists';
import { PostgresSessionStore } from './postgres-session.store';

/**
 * The same contract on the embedded database (PGlite through the sample app's exclusive-session
 * pool): `npm start` and `npm test` without a server rely on it.
 */
describeSessionStore('PostgresSessionStore (embedded PGlite)', async () => {
  const pglite = createPgliteDriver(undefined);
  const dataSource = new DataSource({
    type: 'postgres',
    driver: pglite.driver,
    entities: sessionEntities,
    migrations: sessionMigrations,
    migrationsRun: true,
    uuidExtension: 'pgcrypto',
    installExtensions: false,
    // PGlite runs one statement at a time: a short acquire queue is enough, a long one hides bugs.
    extra: { max: 4 },
  });
  await dataSource.initialize();
  return {
    store: new PostgresSessionStore(dataSource),
    close: async () => {
      await dataSource.destroy();
      await pglite.close();
    },
  };
});
