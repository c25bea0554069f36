import { z } from 'zod';

/** The process environment, or the object a test passes instead. */
export type Env = Readonly<Record<string, string | undefined>>;

/**
 * zod schemas for one environment variable each. An unset or blank variable means "use the
 * default"; a value that is present but wrong fails, and the schema's message says what is expected
 * (AppConfigError adds the variable's name and value), so a typo stops the boot instead of falling
 * back silently.
 */
const present = (value: unknown): unknown => {
  if (typeof value !== 'string') return value;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
};

/** A string as given (trimmed), or `fallback`. */
export function text(fallback: string) {
  return z.preprocess(present, z.string().optional()).transform((value) => value ?? fallback);
}

/** A string as given (trimmed), or undefined. */
export function optionalText() {
  return z.preprocess(present, z.string().optional());
}

/** A string matching `pattern`, or `fallback`. */
export function matching(fallback: string, pattern: RegExp, expected: string) {
  return z
    .preprocess(present, z.string().regex(pattern, { error: expected }).optional())
    .transform((value) => value ?? fallback);
}

/** A plain decimal integer from `min` to `max` (no sign, exponent or fraction), or `fallback`. */
export function integer(fallback: number, { min, max }: { min: number; max: number }) {
  const expected = `an integer from ${min} to ${max}`;
  return z
    .preprocess(
      present,
      z
        .string()
        .regex(/^\d+$/, { error: expected })
        .transform(Number)
        .refine((n) => n >= min && n <= max, { error: expected })
        .optional(),
    )
    .transform((value) => value ?? fallback);
}

/** `true`/`false` or `1`/`0`, any case, or `fallback`. */
export function boolean(fallback: boolean) {
  return z
    .preprocess(
      (value) =>
        typeof present(value) === 'string' ? String(present(value)).toLowerCase() : value,
      z.enum(['true', 'false', '1', '0'], { error: '"true" or "false"' }).optional(),
    )
    .transform((value) => (value === undefined ? fallback : value === 'true' || value === '1'));
}

/** One of `choices`, exactly, or `fallback`. */
export function choice<const T extends string>(fallback: T, choices: readonly [T, ...T[]]) {
  return z
    .preprocess(present, z.enum(choices, { error: `one of ${choices.join(', ')}` }).optional())
    .transform((value): T => value ?? fallback);
}

/** A URL with one of `protocols`, or undefined; `expected` never shows the value (secrets). */
export function url(protocols: readonly string[], expected: string) {
  return z.preprocess(
    present,
    z
      .string()
      .refine((value) => hasProtocol(value, protocols), { error: expected })
      .optional(),
  );
}

function hasProtocol(value: string, protocols: readonly string[]): boolean {
  try {
    return protocols.includes(new URL(value).protocol);
  } catch {
    return false;
  }
}
