import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Proof-of-possession: the key a session is bound to (a DPoP thumbprint, or a DBSC public key),
 * and the proofs already used, so a captured proof cannot be replayed on any instance within its
 * window. And the session's last address and when it was seen, for travel checks.
 */
export class AddSessionKeyBinding1764100000002 implements MigrationInterface {
  name = 'AddSessionKeyBinding1764100000002';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "sessions" ADD "bound_key" text`);
    await queryRunner.query(`ALTER TABLE "sessions" ADD "last_ip" character varying(64)`);
    await queryRunner.query(`ALTER TABLE "sessions" ADD "last_ip_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`
      CREATE TABLE "session_used_proofs" (
        "proof_key" character varying(200) NOT NULL,
        "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        CONSTRAINT "PK_session_used_proofs" PRIMARY KEY ("proof_key")
      )`);
    await queryRunner.query(
      `CREATE INDEX "IDX_session_used_proofs_expires_at" ON "session_used_proofs" ("expires_at")`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "session_used_proofs"`);
    await queryRunner.query(`ALTER TABLE "sessions" DROP COLUMN "last_ip_at"`);
    await queryRunner.query(`ALTER TABLE "sessions" DROP COLUMN "last_ip"`);
    await queryRunner.query(`ALTER TABLE "sessions" DROP COLUMN "bound_key"`);
  }
}
