import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The counters of the login and registration limits (rate-limiter-flexible's PostgreSQL layout:
 * key, points, expiry in epoch ms), so they hold across instances of the app.
 */
export class CreateRateLimits1764150000003 implements MigrationInterface {
  name = 'CreateRateLimits1764150000003';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "rate_limits" (
        "key" character varying(255) NOT NULL,
        "points" integer NOT NULL DEFAULT 0,
        "expire" bigint,
        CONSTRAINT "PK_rate_limits" PRIMARY KEY ("key")
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "rate_limits"`);
  }
}
