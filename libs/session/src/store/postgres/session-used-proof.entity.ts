import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** A proof-of-possession already accepted (DPoP `jti`), refused if it comes again before `expiresAt`. */
@Entity({ name: 'session_used_proofs' })
export class SessionUsedProofEntity {
  @PrimaryColumn('varchar', {
    name: 'proof_key',
    length: 200,
    primaryKeyConstraintName: 'PK_session_used_proofs',
  })
  proofKey!: string;

  @Index('IDX_session_used_proofs_expires_at')
  @Column('timestamptz', { name: 'expires_at' })
  expiresAt!: Date;
}
