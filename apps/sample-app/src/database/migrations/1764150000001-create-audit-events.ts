import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The audit trail of session events behind GET /audit. */
export class CreateAuditEvents1764150000001 implements MigrationInterface {
  name = 'CreateAuditEvents1764150000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "audit_events" (
        "id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
        "type" character varying(64) NOT NULL,
        "user_id" uuid NOT NULL,
        "session_id" uuid,
        "reason" character varying(64),
        "ip" character varying(64),
        "user_agent" text,
        "at" TIMESTAMP WITH TIME ZONE NOT NULL,
        CONSTRAINT "PK_audit_events" PRIMARY KEY ("id")
      )`);
    // GET /audit reads one user's newest events: this index serves it without a sort.
    await queryRunner.query(
      `CREATE INDEX "IDX_audit_events_user_at" ON "audit_events" ("user_id", "at" DESC)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "IDX_audit_events_user_at"`);
    await queryRunner.query(`DROP TABLE "audit_events"`);
  }
}
