import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Creates the session tables and the indexes behind every hot query. */
export class CreateSessionTables1764100000000 implements MigrationInterface {
  name = 'CreateSessionTables1764100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "sessions" (
        "id" uuid NOT NULL,
        "token_hash" bytea NOT NULL,
        "user_id" character varying(255) NOT NULL,
        "csrf_token" character varying(64) NOT NULL,
        "data" jsonb NOT NULL DEFAULT '{}',
        "ip" character varying(64),
        "user_agent" character varying(512),
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        "last_seen_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        "idle_expires_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        "absolute_expires_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        "authenticated_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        "rotated_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        "generation" integer NOT NULL DEFAULT 0,
        "ended_at" TIMESTAMP WITH TIME ZONE,
        "end_reason" character varying(32),
        "purge_after" TIMESTAMP WITH TIME ZONE NOT NULL,
        CONSTRAINT "PK_sessions" PRIMARY KEY ("id")
      )`);
    // Validation: one lookup by token hash on every request.
    await queryRunner.query(
      `CREATE UNIQUE INDEX "UQ_sessions_token_hash" ON "sessions" ("token_hash")`,
    );
    // Listing and the per-user limit only ever look at sessions that have not ended.
    await queryRunner.query(
      `CREATE INDEX "IDX_sessions_user_live" ON "sessions" ("user_id", "created_at") WHERE "ended_at" IS NULL`,
    );
    // Cleanup scans by purge time.
    await queryRunner.query(
      `CREATE INDEX "IDX_sessions_purge_after" ON "sessions" ("purge_after")`,
    );
    await queryRunner.query(`
      CREATE TABLE "session_rotated_tokens" (
        "token_hash" bytea NOT NULL,
        "session_id" uuid NOT NULL,
        "user_id" character varying(255) NOT NULL,
        "grace_until" TIMESTAMP WITH TIME ZONE,
        "purge_after" TIMESTAMP WITH TIME ZONE NOT NULL,
        CONSTRAINT "PK_session_rotated_tokens" PRIMARY KEY ("token_hash"),
        CONSTRAINT "FK_session_rotated_tokens_session" FOREIGN KEY ("session_id")
          REFERENCES "sessions" ("id") ON DELETE CASCADE
      )`);
    await queryRunner.query(
      `CREATE INDEX "IDX_session_rotated_tokens_session" ON "session_rotated_tokens" ("session_id")`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_session_rotated_tokens_purge_after" ON "session_rotated_tokens" ("purge_after")`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "session_rotated_tokens"`);
    await queryRunner.query(`DROP TABLE "sessions"`);
  }
}
