import { DataSource, type MigrationInterface, type QueryRunner } from 'typeorm';
import { createPgliteDriver, type PgliteDriver } from './pglite-driver';
import { PgliteAcquireTimeoutError, type PglitePool, type PglitePoolClient } from './pglite-pool';

// One PGlite for the whole file: each instance costs ≈2 s and ≈700 MB.
let pglite: PgliteDriver;
let pool: PglitePool;

beforeAll(async () => {
  pglite = createPgliteDriver(undefined, { acquireTimeoutMillis: 2000 });
  pool = new pglite.driver.Pool();
  await pool.query('CREATE TABLE counter (id int PRIMARY KEY, n int NOT NULL)');
}, 30_000);

afterAll(async () => {
  await pool.end();
  await pglite.close();
});

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

async function inTransaction<T>(work: (client: PglitePoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } finally {
    client.release();
  }
}

describe('PglitePool exclusivity', () => {
  it('loses no update when 5 transactions increment a counter concurrently', async () => {
    await pool.query('INSERT INTO counter VALUES (1, 0)');
    const increment = () =>
      inTransaction(async (client) => {
        await client.query('SELECT pg_advisory_xact_lock(42)');
        const { rows } = await client.query('SELECT n FROM counter WHERE id = 1');
        await tick(); // invite interleaving: a shared session would let another BEGIN in here
        await client.query('UPDATE counter SET n = $1 WHERE id = 1', [Number(rows[0].n) + 1]);
      });
    await Promise.all([1, 2, 3, 4, 5].map(increment));
    const { rows } = await pool.query('SELECT n FROM counter WHERE id = 1');
    expect(rows[0].n).toBe(5);
  });

  it("keeps another connection's committed write when a transaction rolls back", async () => {
    const holder = await pool.connect();
    await holder.query('BEGIN');
    await holder.query('INSERT INTO counter VALUES (2, 0)');
    const other = pool.query('INSERT INTO counter VALUES (3, 0)'); // waits for the holder
    await tick();
    await holder.query('ROLLBACK');
    holder.release();
    await other;
    const { rows } = await pool.query('SELECT id FROM counter WHERE id IN (2, 3)');
    expect(rows).toEqual([{ id: 3 }]);
  });

  it('runs pool.query only after the current holder releases', async () => {
    const order: string[] = [];
    const holder = await pool.connect();
    const direct = pool.query('SELECT 1').then(() => order.push('pool.query'));
    await tick();
    order.push('holder done');
    holder.release();
    await direct;
    expect(order).toEqual(['holder done', 'pool.query']);
  });

  it('rolls back a transaction left open at release, so the next holder does not inherit it', async () => {
    const client = await pool.connect();
    await client.query('BEGIN');
    await client.query('INSERT INTO counter VALUES (4, 0)');
    client.release();
    const { rows } = await pool.query('SELECT count(*)::int AS c FROM counter WHERE id = 4');
    expect(rows[0].c).toBe(0);
  });

  it('fails a connect that waits too long with a clear error instead of hanging', async () => {
    const impatient = new pglite.driver.Pool({ connectionTimeoutMillis: 50 });
    const holder = await pool.connect();
    try {
      await expect(impatient.connect()).rejects.toBeInstanceOf(PgliteAcquireTimeoutError);
      await expect(impatient.query('SELECT 1')).rejects.toThrow(/no connection within 50 ms/);
    } finally {
      holder.release();
      await impatient.end();
    }
    await expect(pool.query('SELECT 1 AS ok')).resolves.toMatchObject({ rows: [{ ok: 1 }] });
  });

  it('refuses queries on a released client and a second release', async () => {
    const client = await pool.connect();
    client.release();
    await expect(client.query('SELECT 1')).rejects.toThrow(/already released/);
    expect(() => client.release()).toThrow(/already been released/);
  });
});

describe('PglitePool results, like pg', () => {
  it('returns int8 as a string, like pg', async () => {
    const { rows } = await pool.query('SELECT 9007199254740993::int8 AS big');
    expect(rows[0].big).toBe('9007199254740993');
  });

  it('round-trips bytea from Buffer and Uint8Array params as Buffer', async () => {
    const { rows } = await pool.query('SELECT $1::bytea AS a, $2::bytea AS b', [
      Buffer.from([0, 1, 255]),
      new Uint8Array([7, 8]),
    ]);
    expect(rows[0].a).toEqual(Buffer.from([0, 1, 255]));
    expect(Buffer.isBuffer(rows[0].b)).toBe(true);
    expect(rows[0].b).toEqual(Buffer.from([7, 8]));
  });

  it('parses jsonb and returns timestamptz and date as Date', async () => {
    const at = new Date('2024-05-06T07:08:09.123Z');
    const { rows } = await pool.query(
      "SELECT $1::jsonb AS j, $2::timestamptz AS ts, '2024-05-06'::date AS d",
      [JSON.stringify({ a: [1, 'x'] }), at],
    );
    expect(rows[0].j).toEqual({ a: [1, 'x'] });
    expect(rows[0].ts).toEqual(at);
    expect(rows[0].d).toBeInstanceOf(Date);
  });

  it('shapes results like pg, including RETURNING rows and rowCount', async () => {
    const result = await pool.query('UPDATE counter SET n = n WHERE id = 1 RETURNING id');
    expect(result).toMatchObject({ command: 'UPDATE', rowCount: 1, rows: [{ id: 1 }] });
    expect(result.fields.map((f) => f.name)).toEqual(['id']);
  });

  it('runs multi-statement simple queries, as migrations send them', async () => {
    await pool.query('CREATE TABLE multi (id int); INSERT INTO multi VALUES (1), (2);');
    const { rows } = await pool.query('SELECT count(*)::int AS c FROM multi');
    expect(rows[0].c).toBe(2);
  });

  it("keeps PostgreSQL's error code (23505, 40001)", async () => {
    await expect(pool.query('INSERT INTO counter VALUES ($1, 0)', [1])).rejects.toMatchObject({
      code: '23505',
      constraint: 'counter_pkey',
    });
    await expect(
      pool.query("DO $$ BEGIN RAISE EXCEPTION 'retry' USING ERRCODE = '40001'; END $$"),
    ).rejects.toMatchObject({ code: '40001' });
  });

  it('reports errors to callbacks without unhandled rejections', async () => {
    const unhandled = jest.fn();
    process.on('unhandledRejection', unhandled);
    try {
      const err = await new Promise<Error | null>((resolve) =>
        pool.query('SELECT * FROM missing_table', (e) => resolve(e)),
      );
      expect(err).toMatchObject({ code: '42P01' });
      await new Promise((resolve) => setTimeout(resolve, 10));
      expect(unhandled).not.toHaveBeenCalled();
    } finally {
      process.off('unhandledRejection', unhandled);
    }
  });
});

class CreateAccount1700000000000 implements MigrationInterface {
  async up(runner: QueryRunner): Promise<void> {
    await runner.query('CREATE TABLE account (id int PRIMARY KEY, balance int NOT NULL)');
    await runner.query('INSERT INTO account VALUES (1, 100)');
  }
  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE account');
  }
}

describe('TypeORM postgres driver over PglitePool', () => {
  it('runs a migration and a FOR UPDATE transaction, then destroys cleanly', async () => {
    const dataSource = new DataSource({
      type: 'postgres',
      driver: pglite.driver,
      migrations: [CreateAccount1700000000000],
      connectTimeoutMS: 300,
    });
    await dataSource.initialize();
    try {
      expect(await dataSource.runMigrations()).toHaveLength(1);
      const balance = await dataSource.transaction(async (manager) => {
        const [row] = await manager.query(
          'SELECT balance FROM account WHERE id = $1 FOR UPDATE',
          [1],
        );
        await manager.query('UPDATE account SET balance = $1 WHERE id = $2', [row.balance - 30, 1]);
        const [after] = await manager.query('SELECT balance FROM account WHERE id = 1');
        return after.balance;
      });
      expect(balance).toBe(70);
      // A second connection inside a transaction fails fast rather than waiting forever.
      await expect(
        dataSource.transaction(() => dataSource.query('SELECT 1')),
      ).rejects.toBeInstanceOf(PgliteAcquireTimeoutError);
      const [{ balance: committed }] = await dataSource.query('SELECT balance FROM account');
      expect(committed).toBe(70);
    } finally {
      await dataSource.destroy();
    }
    expect(dataSource.isInitialized).toBe(false);
    // The session outlives the DataSource's pool: the driver owns PGlite.
    await expect(pool.query('SELECT 1 AS ok')).resolves.toMatchObject({ rows: [{ ok: 1 }] });
  });
});
