import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { SessionEntity } from './session.entity';

/** Hashes of tokens replaced by rotation, kept to honour a grace period and detect replays. */
@Entity({ name: 'session_rotated_tokens' })
export class SessionRotatedTokenEntity {
  @PrimaryColumn('bytea', {
    name: 'token_hash',
    primaryKeyConstraintName: 'PK_session_rotated_tokens',
  })
  tokenHash!: Buffer;

  @Index('IDX_session_rotated_tokens_session')
  @Column('uuid', { name: 'session_id' })
  sessionId!: string;

  @ManyToOne(() => SessionEntity, { onDelete: 'CASCADE' })
  @JoinColumn({
    name: 'session_id',
    referencedColumnName: 'id',
    foreignKeyConstraintName: 'FK_session_rotated_tokens_session',
  })
  session?: SessionEntity;

  @Column('varchar', { name: 'user_id', length: 255 })
  userId!: string;

  @Column('timestamptz', { name: 'grace_until', nullable: true })
  graceUntil!: Date | null;

  @Index('IDX_session_rotated_tokens_purge_after')
  @Column('timestamptz', { name: 'purge_after' })
  purgeAfter!: Date;
}
