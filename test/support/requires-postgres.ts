/**
 * `describe` for tests that need a real PostgreSQL server (several processes sharing one
 * database, a proxy in front of it, a million rows). Without DATABASE_URL the tests would run on
 * the embedded database, which belongs to one process: they are skipped, and the run says so
 * plainly (a warning and a title that carries the reason). CI always sets DATABASE_URL.
 */
export function describeWithPostgres(title: string, body: () => void): void {
  if (process.env.DATABASE_URL?.trim()) {
    describe(title, body);
    return;
  }
  const reason = 'needs PostgreSQL: DATABASE_URL is unset';
  // Straight to stderr: Jest does not print the console output of a file whose tests all skip.
  process.stderr.write(`\nSKIPPED "${title}": ${reason}.\n`);
  describe.skip(`${title} [SKIPPED: ${reason}]`, body);
}

/** DATABASE_URL, which `describeWithPostgres` guarantees inside its body. */
export function postgresUrl(): string {
  const url = process.env.DATABASE_URL?.trim();
  if (!url) throw new Error('DATABASE_URL is unset');
  return url;
}
