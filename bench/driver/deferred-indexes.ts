import type { Pool } from 'pg';

interface Definition {
  /** Table the statement alters (constraints) or null (a plain index). */
  table: string | null;
  name: string;
  definition: string;
}

/**
 * Runs `load` with `table`'s indexes, primary and unique keys, and the foreign keys that point at
 * it dropped, then recreates them all from the definitions the catalog gave before. Filling a
 * table of 10,000,000 rows with its indexes in place costs minutes of random B-tree inserts;
 * building them afterwards is one sort each. Read from the catalog, not written down here, so the
 * bench follows whatever the migrations created.
 *
 * The same for every seed size: an index built in one pass is packed denser than one grown row by
 * row, and the scale phase compares sizes, so both sides must be built alike.
 */
export async function withIndexesBuiltAfter(
  pool: Pool,
  table: string,
  load: () => Promise<void>,
): Promise<void> {
  const { rows: keys } = await pool.query<Definition>(
    `SELECT conrelid::regclass::text AS table, conname AS name,
            pg_get_constraintdef(oid) AS definition
       FROM pg_constraint
      WHERE conrelid = $1::regclass AND contype IN ('p', 'u')
      ORDER BY conname`,
    [table],
  );
  const { rows: foreignKeys } = await pool.query<Definition>(
    `SELECT conrelid::regclass::text AS table, conname AS name,
            pg_get_constraintdef(oid) AS definition
       FROM pg_constraint
      WHERE confrelid = $1::regclass AND contype = 'f'
      ORDER BY conname`,
    [table],
  );
  // Indexes of their own, not the ones behind a key (those come back with the key).
  const { rows: indexes } = await pool.query<Definition>(
    `SELECT NULL AS table, i.indexrelid::regclass::text AS name,
            pg_get_indexdef(i.indexrelid) AS definition
       FROM pg_index i
      WHERE i.indrelid = $1::regclass
        AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
      ORDER BY 2`,
    [table],
  );

  for (const fk of foreignKeys)
    await pool.query(`ALTER TABLE ${fk.table} DROP CONSTRAINT "${fk.name}"`);
  for (const key of keys)
    await pool.query(`ALTER TABLE ${key.table} DROP CONSTRAINT "${key.name}"`);
  for (const index of indexes) await pool.query(`DROP INDEX ${index.name}`);

  await load();

  for (const key of keys) {
    await pool.query(`ALTER TABLE ${key.table} ADD CONSTRAINT "${key.name}" ${key.definition}`);
  }
  for (const index of indexes) await pool.query(index.definition);
  for (const fk of foreignKeys) {
    await pool.query(`ALTER TABLE ${fk.table} ADD CONSTRAINT "${fk.name}" ${fk.definition}`);
  }
}
