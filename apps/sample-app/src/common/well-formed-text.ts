/** A UTF-16 surrogate without its partner: not text, and not encodable as UTF-8. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * True when every string inside `value` (searched through arrays and objects) is well-formed
 * Unicode. JSON may legally carry lone surrogates ("\ud800"); some validators (validator.js's
 * isEmail, via encodeURI) throw URIError on them, which would otherwise surface as a 500.
 */
export function isWellFormedText(value: unknown, depth = 0): boolean {
  if (typeof value === 'string') return !LONE_SURROGATE.test(value);
  // The body limit bounds the size; the depth bound keeps a pathological nesting cheap.
  if (depth > 32 || typeof value !== 'object' || value === null) return true;
  const record = value as Record<string, unknown>;
  const children: unknown[] = Array.isArray(value)
    ? value
    : [...Object.keys(record), ...Object.values(record)];
  return children.every((child) => isWellFormedText(child, depth + 1));
}
