import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * One session event, as the sample app keeps it for GET /audit. No foreign key to users: audit rows
 * must outlive the account they describe, and events arrive asynchronously, possibly after it is gone.
 */
@Entity({ name: 'audit_events' })
@Index('IDX_audit_events_user_at', ['userId', 'at'])
@Index('IDX_audit_events_at', ['at'])
export class AuditEventEntity {
  /** Insertion order, the tie-breaker for events with the same timestamp. */
  @PrimaryGeneratedColumn('identity', {
    type: 'bigint',
    generatedIdentity: 'ALWAYS',
    primaryKeyConstraintName: 'PK_audit_events',
  })
  id!: string;

  /** Event name, e.g. 'session.revoked'. */
  @Column({ type: 'varchar', length: 64 })
  type!: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId!: string;

  @Column({ name: 'session_id', type: 'uuid', nullable: true })
  sessionId!: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  reason!: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  ip!: string | null;

  @Column({ name: 'user_agent', type: 'text', nullable: true })
  userAgent!: string | null;

  /** When the event happened (from the event, not from the insert). */
  @Column({ type: 'timestamptz' })
  at!: Date;
}
