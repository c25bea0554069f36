/**
 * One spelling per mailbox: trimmed and lower-cased before it is stored or looked up, so
 * "Ann@Example.com" cannot register twice or miss its own account at login.
 */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}
