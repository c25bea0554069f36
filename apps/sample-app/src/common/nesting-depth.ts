/**
 * True when `value` nests objects or arrays more than `max` levels deep. The recursion stops at
 * `max`, so the check itself is safe on any input; the body limit bounds the width.
 */
export function isNestedDeeperThan(value: unknown, max: number, depth = 0): boolean {
  if (typeof value !== 'object' || value === null) return false;
  if (depth >= max) return true;
  return Object.values(value).some((child) => isNestedDeeperThan(child, max, depth + 1));
}
