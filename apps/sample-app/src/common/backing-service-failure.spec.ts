import { isBackingServiceFailure } from './backing-service-failure';

describe('isBackingServiceFailure', () => {
  it.each([
    [
      'a refused connection',
      Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
    ],
    ['a statement timeout', Object.assign(new Error('canceling statement'), { code: '57014' })],
    ['an admin shutdown', Object.assign(new Error('terminating connection'), { code: '57P01' })],
    ['a lost connection', new Error('Connection terminated unexpectedly')],
    ['a pool that cannot connect', new Error('timeout exceeded when trying to connect')],
    ['a read timeout', new Error('Query read timeout')],
    ['Redis offline', new Error("Stream isn't writeable and enableOfflineQueue options is false")],
    ['a Redis command timeout', new Error('Command timed out')],
    [
      'a TypeORM-wrapped driver error',
      Object.assign(new Error('query failed'), { driverError: { code: '08006' } }),
    ],
  ])('recognises %s', (_name, error) => {
    expect(isBackingServiceFailure(error)).toBe(true);
  });

  it.each([
    ['a unique violation', Object.assign(new Error('duplicate key'), { code: '23505' })],
    ['a syntax error', Object.assign(new Error('syntax error'), { code: '42601' })],
    ['a plain bug', new TypeError('x is undefined')],
    ['a non-error', 'boom'],
  ])('does not mistake %s for an outage', (_name, error) => {
    expect(isBackingServiceFailure(error)).toBe(false);
  });
});
