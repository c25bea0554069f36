import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * The `sessions` table. The store reads and writes it with SQL of its own; the entity exists so
 * TypeORM knows the schema (migrations, schema diffs, ad-hoc queries in the app).
 */
@Entity({ name: 'sessions' })
@Index('IDX_sessions_user_live', ['userId', 'createdAt'], { where: '"ended_at" IS NULL' })
export class SessionEntity {
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'PK_sessions' })
  id!: string;

  /** SHA-256 of the current token; the token itself is never stored. */
  @Index('UQ_sessions_token_hash', { unique: true })
  @Column('bytea', { name: 'token_hash' })
  tokenHash!: Buffer;

  @Column('varchar', { name: 'user_id', length: 255 })
  userId!: string;

  @Column('varchar', { name: 'csrf_token', length: 64 })
  csrfToken!: string;

  @Column('jsonb', { default: () => "'{}'" })
  data!: Record<string, unknown>;

  @Column('varchar', { length: 64, nullable: true })
  ip!: string | null;

  @Column('varchar', { name: 'user_agent', length: 512, nullable: true })
  userAgent!: string | null;

  @Column('text', { name: 'bound_key', nullable: true })
  boundKey!: string | null;

  @Column('varchar', { name: 'last_ip', length: 64, nullable: true })
  lastIp!: string | null;

  @Column('timestamptz', { name: 'last_ip_at', nullable: true })
  lastIpAt!: Date | null;

  @Column('timestamptz', { name: 'created_at' })
  createdAt!: Date;

  @Column('timestamptz', { name: 'last_seen_at' })
  lastSeenAt!: Date;

  @Column('timestamptz', { name: 'idle_expires_at' })
  idleExpiresAt!: Date;

  @Column('timestamptz', { name: 'absolute_expires_at' })
  absoluteExpiresAt!: Date;

  @Column('timestamptz', { name: 'authenticated_at' })
  authenticatedAt!: Date;

  @Column('timestamptz', { name: 'rotated_at' })
  rotatedAt!: Date;

  @Column('integer', { default: 0 })
  generation!: number;

  @Column('timestamptz', { name: 'ended_at', nullable: true })
  endedAt!: Date | null;

  @Column('varchar', { name: 'end_reason', length: 32, nullable: true })
  endReason!: string | null;

  /** Cleanup deletes the row (the ended session's tombstone) after this time. */
  @Index('IDX_sessions_purge_after')
  @Column('timestamptz', { name: 'purge_after' })
  purgeAfter!: Date;
}
