import { SessionOptionsError } from '../errors/session-options.error';
import { resolveSessionOptions } from './session-options.resolver';
import type { SessionModuleOptions } from './session-module-options.interface';

/** Freezes an options object all the way down, so any write by the resolver throws. */
function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    Object.values(value).forEach(deepFreeze);
    Object.freeze(value);
  }
  return value;
}

function rejectionOf(options: unknown): unknown {
  try {
    resolveSessionOptions(options as SessionModuleOptions);
  } catch (error) {
    return error;
  }
  throw new Error(`resolveSessionOptions accepted ${JSON.stringify(options)}`);
}

describe('resolveSessionOptions', () => {
  describe('defaults', () => {
    it('applies the documented default of every option when none is given', () => {
      const resolved = resolveSessionOptions();
      expect(resolved).toMatchObject({
        idleTimeoutMs: 1800 * 1000,
        absoluteTimeoutMs: 86400 * 1000,
        touchIntervalMs: 60 * 1000,
        maxSessionsPerUser: undefined,
        limitStrategy: 'evict-oldest',
        cookie: { name: '__Host-sid', sameSite: 'lax', secure: true, path: '/', domain: undefined },
        transports: new Set(['cookie', 'bearer']),
        csrf: { enabled: true, headerName: 'x-csrf-token', allowedOrigins: new Set() },
        dataSourceName: 'default',
      });
      expect(resolved.cookie).toEqual({
        name: '__Host-sid',
        sameSite: 'lax',
        secure: true,
        path: '/',
        domain: undefined,
      });
      expect(resolved.transports).toEqual(new Set(['cookie', 'bearer']));
      expect(resolveSessionOptions({})).toEqual(resolved);
    });

    it.each([
      [1800, 60],
      [600, 60],
      [300, 30],
      [20, 2],
    ])('defaults touchInterval to min(60, idleTimeout / 10): idle %is → %is', (idle, touch) => {
      expect(resolveSessionOptions({ idleTimeout: idle }).touchIntervalMs).toBe(touch * 1000);
    });

    it('accepts touchInterval 0 (renew on every request)', () => {
      expect(resolveSessionOptions({ touchInterval: 0 }).touchIntervalMs).toBe(0);
    });

    it('accepts a per-user limit function and keeps it as given', () => {
      const limit = (userId: string) => (userId === 'admin' ? 1 : 5);
      expect(resolveSessionOptions({ maxSessionsPerUser: limit }).maxSessionsPerUser).toBe(limit);
    });

    it('lower-cases the CSRF header name and allowed origins, as they are compared', () => {
      const { csrf } = resolveSessionOptions({
        csrf: { headerName: 'X-CSRF-Token', allowedOrigins: ['https://Admin.Example.com'] },
      });
      expect(csrf.headerName).toBe('x-csrf-token');
      expect([...csrf.allowedOrigins]).toEqual(['https://admin.example.com']);
    });
  });

  describe('rejects a wrong value with a SessionOptionsError naming the option', () => {
    it.each<[string, unknown]>([
      ['idleTimeout', { idleTimeout: 0 }],
      ['idleTimeout', { idleTimeout: -5 }],
      ['idleTimeout', { idleTimeout: Number.NaN }],
      ['idleTimeout', { idleTimeout: Number.POSITIVE_INFINITY }],
      ['idleTimeout', { idleTimeout: 'thirty minutes' }],
      ['idleTimeout', { idleTimeout: '' }],
      ['idleTimeout', { idleTimeout: 7200, absoluteTimeout: 3600 }],
      ['absoluteTimeout', { absoluteTimeout: 0 }],
      ['absoluteTimeout', { absoluteTimeout: null }],
      ['touchInterval', { touchInterval: -1 }],
      ['touchInterval', { idleTimeout: 60, touchInterval: 60 }],
      ['maxSessionsPerUser', { maxSessionsPerUser: 0 }],
      ['maxSessionsPerUser', { maxSessionsPerUser: 2.5 }],
      ['maxSessionsPerUser', { maxSessionsPerUser: '3.5' }],
      ['limitStrategy', { limitStrategy: 'evict-newest' }],
      ['cookie.name', { cookie: { name: '' } }],
      ['cookie.name', { cookie: { name: 'sid;evil=1' } }],
      ['cookie.name', { cookie: { name: 'my sid' } }],
      ['cookie.sameSite', { cookie: { sameSite: 'Lax' } }],
      ['cookie.secure', { cookie: { secure: 'yes' } }],
      ['cookie.path', { cookie: { name: 'sid', path: 'api' } }],
      ['cookie.domain', { cookie: { name: 'sid', domain: '' } }],
      ['cookie.name', { cookie: { secure: false } }],
      ['cookie.name', { cookie: { path: '/api' } }],
      ['cookie.name', { cookie: { domain: 'example.com' } }],
      ['cookie.secure', { cookie: { name: '__Secure-sid', secure: false } }],
      ['cookie.secure', { cookie: { name: 'sid', sameSite: 'none', secure: false } }],
      ['transports', { transports: [] }],
      ['transports', { transports: ['cookie', 'query'] }],
      ['transports', { transports: 'cookie' }],
      ['csrf.allowedOrigins', { csrf: { allowedOrigins: ['admin.example.com'] } }],
      ['csrf.allowedOrigins', { csrf: { allowedOrigins: ['https://admin.example.com/'] } }],
      ['csrf.allowedOrigins', { csrf: { allowedOrigins: 'https://admin.example.com' } }],
      ['csrf.headerName', { csrf: { headerName: 'x csrf' } }],
      ['csrf.enabled', { csrf: { enabled: 'off' } }],
      ['rotationGrace', { rotationInterval: 2, rotationGrace: 60 }],
      ['idleTimout', { idleTimout: 900 }],
      ['cookie.sameSight', { cookie: { sameSight: 'lax' } }],
      ['dataSourceName', { dataSourceName: '' }],
    ])('%s: %j', (option, options) => {
      const error = rejectionOf(options);
      expect(error).toBeInstanceOf(SessionOptionsError);
      expect((error as Error).message).toContain(`"${option}"`);
    });

    it('says what is allowed and what was received', () => {
      expect((rejectionOf({ limitStrategy: 'lifo' }) as Error).message).toBe(
        'SessionModule option "limitStrategy" must be one of "evict-oldest", ' +
          '"evict-least-recent", "reject"; received "lifo".',
      );
    });
  });

  describe('values from the environment (ConfigService.get returns strings)', () => {
    it('reads numeric strings as numbers and "true"/"false"/"1"/"0" as booleans', () => {
      const resolved = resolveSessionOptions({
        idleTimeout: '900',
        absoluteTimeout: ' 3600 ',
        maxSessionsPerUser: '3',
        rotationInterval: '60',
        rotationGrace: '0',
        csrf: { enabled: 'false' },
        cookie: { secure: 'true' },
        cache: { ttl: '30', max: '500' },
        logEvents: '0',
      } as unknown as SessionModuleOptions);
      expect(resolved).toMatchObject({
        idleTimeoutMs: 900_000,
        absoluteTimeoutMs: 3_600_000,
        maxSessionsPerUser: 3,
        rotationIntervalMs: 60_000,
        rotationGraceMs: 0,
        csrf: { enabled: false },
        cookie: { secure: true },
        cache: { ttlMs: 30_000, max: 500 },
        logEvents: false,
      });
    });

    it('keeps an unset variable at the default', () => {
      expect(resolveSessionOptions({ idleTimeout: undefined }).idleTimeoutMs).toBe(1_800_000);
    });
  });

  it('accepts a rotationGrace up to rotationInterval, and any grace with rotation off', () => {
    expect(resolveSessionOptions({ rotationInterval: 60, rotationGrace: 60 }).rotationGraceMs).toBe(
      60_000,
    );
    expect(resolveSessionOptions({ rotationGrace: 600 }).rotationGraceMs).toBe(600_000);
  });

  it('names both settings when rotationGrace exceeds rotationInterval', () => {
    expect((rejectionOf({ rotationInterval: 2, rotationGrace: 60 }) as Error).message).toBe(
      'SessionModule option "rotationGrace" must be at most rotationInterval (2) when rotation is on; received 60.',
    );
  });

  it('names a misspelt option instead of ignoring it', () => {
    expect((rejectionOf({ idleTimout: 900 }) as Error).message).toBe(
      'SessionModule has no option "idleTimout"; see SessionModuleOptions for the options it takes.',
    );
  });

  describe('immutability', () => {
    const full = (): SessionModuleOptions => ({
      idleTimeout: 900,
      absoluteTimeout: 3600,
      touchInterval: 30,
      maxSessionsPerUser: 3,
      limitStrategy: 'reject',
      cookie: {
        name: 'sid',
        sameSite: 'strict',
        secure: true,
        path: '/app',
        domain: 'example.com',
      },
      transports: ['bearer', 'cookie'],
      csrf: { enabled: true, headerName: 'X-Token', allowedOrigins: ['https://A.example.com'] },
      dataSourceName: 'sessions',
    });

    it('never writes to the object the user passed', () => {
      const input = full();
      // A frozen input makes any write throw (spec files are strict-mode modules).
      expect(() => resolveSessionOptions(deepFreeze(input))).not.toThrow();
      expect(input).toEqual(full());
    });

    it('does not alias the user arrays: changing them later changes nothing', () => {
      const input = full();
      const resolved = resolveSessionOptions(input);
      input.transports?.pop();
      input.csrf?.allowedOrigins?.push('https://evil.example');
      expect([...resolved.transports].sort()).toEqual(['bearer', 'cookie']);
      expect([...resolved.csrf.allowedOrigins]).toEqual(['https://a.example.com']);
    });

    it('returns a frozen object whose nested objects are frozen too', () => {
      const resolved = resolveSessionOptions(full());
      expect(Object.isFrozen(resolved)).toBe(true);
      expect(Object.isFrozen(resolved.cookie)).toBe(true);
      expect(Object.isFrozen(resolved.csrf)).toBe(true);
      expect(() => {
        (resolved as { idleTimeoutMs: number }).idleTimeoutMs = 1;
      }).toThrow(TypeError);
    });
  });
});
