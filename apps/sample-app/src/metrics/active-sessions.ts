import type { DataSource } from 'typeorm';

/**
 * Live sessions in the TypeORM store: the same three conditions the store checks on validation
 * (not ended, neither timeout passed), by the database's clock. One COUNT(*) per scrape: cheap at
 * this app's scale, and a scrape every 15–60 s is far rarer than the validations themselves.
 */
export async function countActiveSessions(dataSource: DataSource): Promise<number> {
  const rows: Array<{ count: string }> = await dataSource.query(
    `SELECT COUNT(*) AS count FROM sessions
      WHERE ended_at IS NULL AND idle_expires_at > now() AND absolute_expires_at > now()`,
  );
  return Number(rows[0]?.count ?? 0);
}
