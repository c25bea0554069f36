/**
 * `@nest-session/core/typeorm`: the default PostgreSQL store and the schema it needs. Needs the
 * optional peers `@nestjs/typeorm`, `typeorm` and `pg`.
 */
export {
  PostgresSessionStore,
  TypeOrmSessionStore,
} from '../store/postgres/postgres-session.store';
export { SessionEntity } from '../store/postgres/session.entity';
export { SessionRotatedTokenEntity } from '../store/postgres/session-rotated-token.entity';
export { SessionUserRevocationEntity } from '../store/postgres/session-user-revocation.entity';
export { CreateSessionTables1764100000000 } from '../store/postgres/migrations/1764100000000-create-session-tables';
export { CreateSessionUserRevocations1764100000001 } from '../store/postgres/migrations/1764100000001-create-session-user-revocations';
export { sessionEntities, sessionMigrations } from '../store/postgres/session-typeorm.lists';
export { PgNotifyInvalidationChannel } from '../store/postgres/pg-notify-invalidation.channel';
