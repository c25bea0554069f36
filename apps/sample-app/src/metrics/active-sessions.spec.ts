import { FixedClock } from '@app/session/testing';
import { activeSessionsCounter } from './active-sessions';

/** A store whose count answers 1, 2, 3… and records how often it was asked. */
function countingStore(fail = false) {
  let queries = 0;
  return {
    queries: () => queries,
    countAllActive: () => {
      queries += 1;
      return fail ? Promise.reject(new Error('down')) : Promise.resolve(queries);
    },
  };
}

describe('activeSessionsCounter', () => {
  it('counts once per max age, however often and however concurrently it is asked', async () => {
    const store = countingStore();
    const clock = new FixedClock();
    const count = activeSessionsCounter(store, clock, 30_000);
    expect(await Promise.all([count(), count(), count()])).toEqual([1, 1, 1]);
    clock.advance(29);
    expect(await count()).toBe(1);
    expect(store.queries()).toBe(1);
    clock.advance(1);
    expect(await count()).toBe(2);
  });

  it('does not keep a failed count', async () => {
    const store = countingStore(true);
    const count = activeSessionsCounter(store, new FixedClock(), 30_000);
    await expect(count()).rejects.toThrow('down');
    await expect(count()).rejects.toThrow('down');
    expect(store.queries()).toBe(2);
  });
});
