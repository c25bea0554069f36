import { isNestedDeeperThan } from './nesting-depth';

describe('isNestedDeeperThan', () => {
  it('measures objects and arrays alike', () => {
    expect(isNestedDeeperThan({ a: { b: 1 } }, 2)).toBe(false);
    expect(isNestedDeeperThan({ a: { b: {} } }, 2)).toBe(true);
    expect(isNestedDeeperThan([[1]], 2)).toBe(false);
    expect(isNestedDeeperThan([[[]]], 2)).toBe(true);
    expect(isNestedDeeperThan('text', 0)).toBe(false);
  });

  it('stays cheap and safe on nesting far beyond the stack', () => {
    const deep = JSON.parse(`${'['.repeat(100_000)}${']'.repeat(100_000)}`) as unknown;
    expect(isNestedDeeperThan(deep, 16)).toBe(true);
  });
});
