import type { LoggerService } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import {
  bearer,
  loginWithCookie,
  loginWithToken,
  registerUser,
  type TestUser,
} from '../support/auth-helpers';
import { startTestApp, type TestApp } from '../support/test-app';
import { sleep } from '../support/wait';

/** Keeps every log line the app writes, at every level. */
class CapturingLogger implements LoggerService {
  readonly lines: string[] = [];
  log = (...parts: unknown[]) => this.keep(parts);
  error = (...parts: unknown[]) => this.keep(parts);
  warn = (...parts: unknown[]) => this.keep(parts);
  debug = (...parts: unknown[]) => this.keep(parts);
  verbose = (...parts: unknown[]) => this.keep(parts);
  fatal = (...parts: unknown[]) => this.keep(parts);
  private keep(parts: unknown[]): void {
    this.lines.push(
      parts.map((part) => (typeof part === 'string' ? part : JSON.stringify(part))).join(' '),
    );
  }
}

/** Every searchable column of every table in the schema. */
async function searchableColumns(app: TestApp) {
  return app.dataSource.query<
    Array<{ table_name: string; column_name: string; data_type: string }>
  >(
    `SELECT table_name, column_name, data_type FROM information_schema.columns
      WHERE table_schema = $1
        AND data_type IN ('text', 'character varying', 'character', 'bytea', 'json', 'jsonb')`,
    [app.database.schema],
  );
}

/** Rows, per table.column, whose value contains `text` or (bytea) the bytes `raw`. */
async function findInDatabase(app: TestApp, text: string, raw: Buffer): Promise<string[]> {
  const hits: string[] = [];
  for (const { table_name: table, column_name: column, data_type: type } of await searchableColumns(
    app,
  )) {
    const [{ count }] =
      type === 'bytea'
        ? await app.dataSource.query(
            `SELECT count(*)::int AS count FROM "${table}"
              WHERE position($1::bytea IN "${column}") > 0
                 OR position(convert_to($2, 'UTF8') IN "${column}") > 0`,
            [raw, text],
          )
        : await app.dataSource.query(
            `SELECT count(*)::int AS count FROM "${table}" WHERE position($1 IN "${column}"::text) > 0`,
            [text],
          );
    if (count > 0) hits.push(`${table}.${column} (${count})`);
  }
  return hits;
}

/** The token and the other spellings a careless implementation might store it under. */
function spellings(token: string): { forms: string[]; raw: Buffer } {
  const raw = Buffer.from(token, 'base64url');
  return { forms: [token, raw.toString('hex'), raw.toString('base64')], raw };
}

describe('no raw session token at rest', () => {
  const logger = new CapturingLogger();
  const events: string[] = [];
  let app: TestApp;
  let user: TestUser;
  const tokens: string[] = [];
  let csrfToken: string;

  beforeAll(async () => {
    app = await startTestApp({ logger, session: { maxPerUser: 10 } });
    app.app.get(EventEmitter2).onAny((name, payload) => {
      events.push(`${String(name)} ${JSON.stringify(payload)}`);
    });
    user = await registerUser(app);
    const cookie = await loginWithCookie(app, user);
    csrfToken = cookie.csrfToken;
    const api = await loginWithToken(app, user);
    tokens.push(cookie.token, api.token);
    await app.http().get('/me').set('Authorization', bearer(api.token)).expect(200);
    // A rotation (password change) issues one more token and retires the old one.
    const rotated = await app
      .http()
      .post('/auth/password')
      .set('Authorization', bearer(api.token))
      .send({ currentPassword: user.password, newPassword: 'another long password' })
      .expect(200);
    tokens.push(rotated.body.token);
    await app
      .http()
      .post('/auth/logout')
      .set('Authorization', bearer(rotated.body.token))
      .expect(204);
    await sleep(300); // let the asynchronous audit writes land
  });

  afterAll(async () => {
    await app.close();
  });

  it('the scan finds values that are stored (positive control)', async () => {
    expect(await findInDatabase(app, csrfToken, Buffer.from(csrfToken))).not.toEqual([]);
    expect(await findInDatabase(app, user.email, Buffer.from(user.email))).not.toEqual([]);
  });

  it('no text, json or bytea column holds any token, as text, base64url, base64 or hex', async () => {
    expect(tokens).toHaveLength(3);
    for (const token of tokens) {
      const { forms, raw } = spellings(token);
      for (const form of forms) {
        expect({ form, hits: await findInDatabase(app, form, raw) }).toEqual({ form, hits: [] });
      }
    }
  });

  it('no log line and no event payload holds a token', () => {
    expect(events.length).toBeGreaterThan(0);
    for (const token of tokens) {
      for (const form of spellings(token).forms) {
        expect(logger.lines.filter((line) => line.includes(form))).toEqual([]);
        expect(events.filter((event) => event.includes(form))).toEqual([]);
      }
    }
  });
});
