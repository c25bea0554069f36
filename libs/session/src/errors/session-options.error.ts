/**
 * Thrown at boot when `SessionModule` options are wrong; the message says how to fix them.
 *
 * @publicApi
 */
export class SessionOptionsError extends Error {
  constructor(message: string);
  constructor(option: string, allowed: string, received: unknown);
  constructor(optionOrMessage: string, allowed?: string, received?: unknown) {
    super(
      allowed === undefined ? optionOrMessage : optionMessage(optionOrMessage, allowed, received),
    );
    this.name = 'SessionOptionsError';
  }
}

/** `SessionModule option "<option>" must be <allowed>; received <value>.` */
export function optionMessage(option: string, allowed: string, received: unknown): string {
  return `SessionModule option "${option}" must be ${allowed}; received ${describe(received)}.`;
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
