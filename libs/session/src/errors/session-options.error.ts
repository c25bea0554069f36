/** Thrown at boot when `SessionModule` options are wrong; the message says how to fix them. */
export class SessionOptionsError extends Error {
  constructor(option: string, allowed: string, received: unknown) {
    super(`SessionModule option "${option}" must be ${allowed}; received ${describe(received)}.`);
    this.name = 'SessionOptionsError';
  }
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'function') return 'a function';
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
