import { createHash } from 'node:crypto';
import { bearer, cookieValue, findSetCookie, SESSION_COOKIE } from './auth-helpers';
import type { TestApp } from './test-app';
import { waitFor } from './wait';

export interface AuditEvent {
  type: string;
  sessionId: string | null;
  reason: string | null;
  ip: string | null;
  userAgent: string | null;
  at: string;
}

/** The status GET /me answers for a bearer token (optionally with a User-Agent). */
export async function meStatus(app: TestApp, token: string, userAgent?: string): Promise<number> {
  const request = app.http().get('/me').set('Authorization', bearer(token));
  return (await (userAgent === undefined ? request : request.set('User-Agent', userAgent))).status;
}

/** How many of `tokens` still authenticate. */
export async function countWorking(app: TestApp, tokens: string[]): Promise<number> {
  const statuses = await Promise.all(tokens.map((token) => meStatus(app, token)));
  return statuses.filter((status) => status === 200).length;
}

export function cookieHeader(token: string): string {
  return `${SESSION_COOKIE}=${token}`;
}

/** The session token a response set in its cookie, if any. */
export function setCookieToken(headers: Record<string, unknown>): string | undefined {
  const line = findSetCookie(headers);
  return line === undefined ? undefined : cookieValue(line);
}

/** Reads /audit with a bearer token until `done` holds (events are written asynchronously). */
export function waitForAudit(
  app: TestApp,
  token: string,
  done: (events: AuditEvent[]) => boolean,
  userAgent?: string,
): Promise<AuditEvent[]> {
  return waitFor(
    async () => {
      const request = app.http().get('/audit').set('Authorization', bearer(token));
      const response = await (userAgent === undefined
        ? request
        : request.set('User-Agent', userAgent));
      if (response.status !== 200) throw new Error(`GET /audit answered ${response.status}`);
      return response.body as AuditEvent[];
    },
    done,
    { timeoutMs: 5000 },
  );
}

/** Audit rows of a user straight from the table (for users with no live session left). */
export async function auditRows(app: TestApp, userId: string): Promise<AuditEvent[]> {
  const rows = await app.dataSource.query<
    Array<{ type: string; session_id: string | null; reason: string | null }>
  >('SELECT type, session_id, reason FROM audit_events WHERE user_id = $1 ORDER BY id', [userId]);
  return rows.map((row) => ({
    type: row.type,
    sessionId: row.session_id,
    reason: row.reason,
    ip: null,
    userAgent: null,
    at: '',
  }));
}

/** SHA-256 of a token, as the store keeps it. */
export function tokenHash(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

/** Fires `count` bearer logins of one user at once; returns every response. */
export function parallelTokenLogins(
  app: TestApp,
  user: { email: string; password: string },
  count: number,
) {
  return Promise.all(
    Array.from({ length: count }, () =>
      app.http().post('/auth/token').send({ email: user.email, password: user.password }),
    ),
  );
}
