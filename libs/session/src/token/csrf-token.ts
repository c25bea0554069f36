import { randomBytes } from 'node:crypto';

/** The per-session CSRF token: random, unrelated to the session token, replaced on rotation. */
export function generateCsrfToken(): string {
  return randomBytes(32).toString('base64url');
}
