import { CreateSessionTables1764100000000 } from './migrations/1764100000000-create-session-tables';
import { CreateSessionUserRevocations1764100000001 } from './migrations/1764100000001-create-session-user-revocations';
import { AddSessionKeyBinding1764100000002 } from './migrations/1764100000002-add-session-key-binding';
import { SessionRotatedTokenEntity } from './session-rotated-token.entity';
import { SessionUsedProofEntity } from './session-used-proof.entity';
import { SessionUserRevocationEntity } from './session-user-revocation.entity';
import { SessionEntity } from './session.entity';

/** Add to your DataSource's `entities`. */
export const sessionEntities = [
  SessionEntity,
  SessionRotatedTokenEntity,
  SessionUserRevocationEntity,
  SessionUsedProofEntity,
];

/** Add to your DataSource's `migrations` (before your own). */
export const sessionMigrations = [
  CreateSessionTables1764100000000,
  CreateSessionUserRevocations1764100000001,
  AddSessionKeyBinding1764100000002,
];
