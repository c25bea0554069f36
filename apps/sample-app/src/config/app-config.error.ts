/**
 * A bad environment variable. Thrown at boot; the text names the variable, the rejected value and
 * what is allowed, so the fix is obvious from the log line alone. Pass `value: null` for secrets
 * (a DATABASE_URL may hold a password) so they never reach the log.
 */
export class AppConfigError extends Error {
  constructor(
    readonly variable: string,
    value: string | null,
    expected: string,
  ) {
    const shown = value === null ? '' : `=${JSON.stringify(value)}`;
    super(`Invalid environment variable ${variable}${shown}: expected ${expected}.`);
    this.name = 'AppConfigError';
  }
}
