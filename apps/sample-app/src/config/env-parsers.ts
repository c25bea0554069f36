import { AppConfigError } from './app-config.error';

/**
 * Small readers for environment variables. Each one treats an unset or empty variable as "use the
 * default" and throws an AppConfigError naming the variable when the value is present but wrong, so a
 * typo fails the boot instead of silently falling back.
 */
export type Env = Readonly<Record<string, string | undefined>>;

function raw(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

export function readString(env: Env, name: string, fallback: string): string {
  return raw(env, name) ?? fallback;
}

export function readOptionalString(env: Env, name: string): string | undefined {
  return raw(env, name);
}

export function readInteger(
  env: Env,
  name: string,
  fallback: number,
  { min, max }: { min: number; max: number },
): number {
  const value = raw(env, name);
  if (value === undefined) return fallback;
  // Number('') and Number('1e3') are numbers too; accept plain decimal integers only.
  if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
    throw new AppConfigError(name, value, `an integer from ${min} to ${max}`);
  }
  return Number(value);
}

export function readBoolean(env: Env, name: string, fallback: boolean): boolean {
  const value = raw(env, name);
  if (value === undefined) return fallback;
  const normalized = value.toLowerCase();
  if (normalized === 'true' || normalized === '1') return true;
  if (normalized === 'false' || normalized === '0') return false;
  throw new AppConfigError(name, value, '"true" or "false"');
}

export function readChoice<T extends string>(
  env: Env,
  name: string,
  fallback: T,
  choices: readonly T[],
): T {
  const value = raw(env, name);
  if (value === undefined) return fallback;
  const choice = choices.find((candidate) => candidate === value);
  if (choice === undefined) {
    throw new AppConfigError(name, value, `one of ${choices.join(', ')}`);
  }
  return choice;
}
