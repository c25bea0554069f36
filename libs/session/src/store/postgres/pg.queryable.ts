/** The part of node-postgres' `Pool` the store uses (PGlite's adapter offers the same). */
export interface PgResult<R> {
  rows: R[];
  rowCount: number | null;
}

/** A query with a `name` is prepared once per connection and reused. */
export interface PgQueryConfig {
  name?: string;
  text: string;
  values?: unknown[];
}

export interface PgQueryable {
  query<R = Record<string, unknown>>(text: string, values?: unknown[]): Promise<PgResult<R>>;
  query<R = Record<string, unknown>>(
    config: PgQueryConfig,
    values?: unknown[],
  ): Promise<PgResult<R>>;
}

export interface PgPoolClient extends PgQueryable {
  release(error?: Error | boolean): void;
}

export interface PgPool extends PgQueryable {
  connect(): Promise<PgPoolClient>;
}
