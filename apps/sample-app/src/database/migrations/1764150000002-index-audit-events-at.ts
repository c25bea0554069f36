import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Audit retention deletes by age: an index on `at` keeps each batch off a full scan. */
export class IndexAuditEventsAt1764150000002 implements MigrationInterface {
  name = 'IndexAuditEventsAt1764150000002';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX "IDX_audit_events_at" ON "audit_events" ("at")`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "IDX_audit_events_at"`);
  }
}
