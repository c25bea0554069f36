/** RUN_MIGRATIONS=false and the schema is behind the code: serving would fail on every query. */
export class PendingMigrationsError extends Error {
  constructor() {
    super(
      'Migrations are pending and RUN_MIGRATIONS=false: run "npm run migrate" first (or start with RUN_MIGRATIONS=true).',
    );
    this.name = 'PendingMigrationsError';
  }
}
