import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The sample app's accounts. Unqualified names: the connection's search_path picks the schema
 * (DATABASE_SCHEMA), as for the session library's tables.
 */
export class CreateUsers1764150000000 implements MigrationInterface {
  name = 'CreateUsers1764150000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // gen_random_uuid() is core since PostgreSQL 13 and exists in PGlite: no extension needed.
    await queryRunner.query(`
      CREATE TABLE "users" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "email" character varying(254) NOT NULL,
        "password_hash" character varying(255) NOT NULL,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "PK_users" PRIMARY KEY ("id")
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX "UQ_users_email" ON "users" ("email")`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "UQ_users_email"`);
    await queryRunner.query(`DROP TABLE "users"`);
  }
}
