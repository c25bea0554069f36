import { describeInvalidationChannel } from '../../testing/invalidation-channel.conformance';
import { openTestDataSource, type TestDataSource } from '../../../testing/postgres-test-schema';
import { createSessionTestingModule } from '../../testing/session-testing.module';
import type { SessionTestingModule } from '../../testing/session-testing.module';
import { LISTENER_APPLICATION_NAME } from './pg-notify-invalidation.channel';
import { PostgresSessionStore } from './postgres-session.store';

const url = process.env.DATABASE_URL;
const describeWithPostgres = url ? describe : describe.skip;
if (!url) {
  console.warn('Skipped: the LISTEN/NOTIFY cache tests need a PostgreSQL server (DATABASE_URL).');
}

describeWithPostgres('validation cache over PostgreSQL LISTEN/NOTIFY', () => {
  let db: TestDataSource;
  let a: SessionTestingModule<PostgresSessionStore>;
  let b: SessionTestingModule<PostgresSessionStore>;

  const instance = async () => {
    const t = await createSessionTestingModule(
      { cache: { ttl: 3600 } },
      { store: new PostgresSessionStore(db.dataSource) },
    );
    return t;
  };

  beforeAll(async () => {
    db = await openTestDataSource(url!);
    a = await instance();
    b = await instance();
  });
  afterAll(async () => {
    await a?.moduleRef.close();
    await b?.moduleRef.close();
    await db?.close();
  });

  describeInvalidationChannel(() => ({
    a,
    b,
    cutChannel: async () => {
      await db.dataSource.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1`,
        [LISTENER_APPLICATION_NAME],
      );
    },
  }));
});
