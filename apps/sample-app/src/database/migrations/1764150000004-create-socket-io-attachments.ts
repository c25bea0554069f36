import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * @socket.io/postgres-adapter's table for broadcasts too big for NOTIFY (8000 bytes) or binary;
 * the adapter deletes rows older than 30 s on every instance, and needs the table for that.
 */
export class CreateSocketIoAttachments1764150000004 implements MigrationInterface {
  name = 'CreateSocketIoAttachments1764150000004';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "socket_io_attachments" (
        "id" bigserial UNIQUE,
        "created_at" timestamptz DEFAULT now(),
        "payload" bytea
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "socket_io_attachments"`);
  }
}
