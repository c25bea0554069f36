import { FixedClock } from '@app/session/testing';
import { activeSessionsCounter } from './active-sessions';

/** A store whose count answers 1, 2, 3… (or fails) and records how often it was asked. */
function countingStore() {
  let queries = 0;
  let failing = false;
  return {
    queries: () => queries,
    fail: (value: boolean) => {
      failing = value;
    },
    countAllActive: () => {
      queries += 1;
      return failing ? Promise.reject(new Error('down')) : Promise.resolve(queries);
    },
  };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('activeSessionsCounter', () => {
  it('the first scrapes wait for one shared count; later ones get the last count without a query', async () => {
    const store = countingStore();
    const clock = new FixedClock();
    const count = activeSessionsCounter(store, clock, 30_000);
    expect(await Promise.all([count(), count(), count()])).toEqual([1, 1, 1]);
    clock.advance(29);
    expect(await count()).toBe(1);
    expect(store.queries()).toBe(1);
  });

  it('a stale count is served at once while the next one runs in the background, once', async () => {
    const store = countingStore();
    const clock = new FixedClock();
    const count = activeSessionsCounter(store, clock, 30_000);
    await count();
    clock.advance(30);
    expect(await Promise.all([count(), count()])).toEqual([1, 1]);
    await settle();
    expect(store.queries()).toBe(2);
    expect(await count()).toBe(2);
  });

  it('a failed first count is not kept; a failed refresh keeps the last count', async () => {
    const store = countingStore();
    const clock = new FixedClock();
    const count = activeSessionsCounter(store, clock, 30_000);
    store.fail(true);
    await expect(count()).rejects.toThrow('down');
    store.fail(false);
    expect(await count()).toBe(2);
    store.fail(true);
    clock.advance(30);
    expect(await count()).toBe(2);
    await settle();
    expect(await count()).toBe(2);
    expect(store.queries()).toBe(4);
  });
});
