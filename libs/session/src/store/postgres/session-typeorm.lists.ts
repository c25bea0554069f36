import { CreateSessionTables1764100000000 } from './migrations/1764100000000-create-session-tables';
import { SessionRotatedTokenEntity } from './session-rotated-token.entity';
import { SessionEntity } from './session.entity';

/** Add to your DataSource's `entities`. */
export const sessionEntities = [SessionEntity, SessionRotatedTokenEntity];

/** Add to your DataSource's `migrations` (before your own). */
export const sessionMigrations = [CreateSessionTables1764100000000];
