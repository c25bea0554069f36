import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * A user's revocation watermark: sessions whose authentication began at or before `revokedBefore`
 * may not be created any more (see `SessionStore.endAllForUser`).
 */
@Entity({ name: 'session_user_revocations' })
export class SessionUserRevocationEntity {
  @PrimaryColumn('varchar', {
    name: 'user_id',
    length: 255,
    primaryKeyConstraintName: 'PK_session_user_revocations',
  })
  userId!: string;

  @Column('timestamptz', { name: 'revoked_before' })
  revokedBefore!: Date;

  @Index('IDX_session_user_revocations_purge_after')
  @Column('timestamptz', { name: 'purge_after' })
  purgeAfter!: Date;
}
