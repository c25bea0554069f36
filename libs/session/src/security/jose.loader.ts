/**
 * jose ships ESM only. Loaded on the first proof (DPoP or DBSC), so an app that never receives
 * one — and a CommonJS Jest setup that does not transform jose — never loads it.
 */
let jose: Promise<typeof import('jose')> | undefined;

export function loadJose(): Promise<typeof import('jose')> {
  return (jose ??= import('jose'));
}
