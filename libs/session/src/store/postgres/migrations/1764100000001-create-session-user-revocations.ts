import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The per-user revocation watermark that no in-flight login can outrun. */
export class CreateSessionUserRevocations1764100000001 implements MigrationInterface {
  name = 'CreateSessionUserRevocations1764100000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "session_user_revocations" (
        "user_id" character varying(255) NOT NULL,
        "revoked_before" TIMESTAMP WITH TIME ZONE NOT NULL,
        "purge_after" TIMESTAMP WITH TIME ZONE NOT NULL,
        CONSTRAINT "PK_session_user_revocations" PRIMARY KEY ("user_id")
      )`);
    await queryRunner.query(
      `CREATE INDEX "IDX_session_user_revocations_purge_after" ON "session_user_revocations" ("purge_after")`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "session_user_revocations"`);
  }
}
