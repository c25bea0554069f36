import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One counter of rate-limiter-flexible's PostgreSQL store; written by it, never by TypeORM. */
@Entity({ name: 'rate_limits' })
export class RateLimitEntity {
  @PrimaryColumn('varchar', { length: 255, primaryKeyConstraintName: 'PK_rate_limits' })
  key!: string;

  @Column('integer', { default: 0 })
  points!: number;

  @Column('bigint', { nullable: true })
  expire!: string | null;
}
