import { SessionAnomalyEvent } from '../events/session-event.payloads';
import type { SessionGeoLocation } from '../options/session-module-options.interface';
import {
  createSessionTestingModule,
  type SessionTestingModule,
} from '../testing/session-testing.module';

/** Documentation addresses (RFC 5737) stand for public ones; the resolver places them. */
const PLACES: Record<string, SessionGeoLocation> = {
  '198.51.100.1': { country: 'GB', city: 'London', latitude: 51.5072, longitude: -0.1276 },
  '198.51.100.2': { country: 'US', city: 'New York', latitude: 40.7128, longitude: -74.006 },
  '198.51.100.3': { country: 'GB', city: 'Croydon', latitude: 51.3762, longitude: -0.0982 },
  '198.51.100.4': { country: 'FR', city: 'Paris', latitude: 48.8566, longitude: 2.3522 },
};
const at = (ip: string) => ({ ip, userAgent: 'agent' });
/** Sessions that outlive the trips below. */
const LONG_LIVED = { idleTimeout: 86_400, absoluteTimeout: 172_800 };

describe('country_changed and impossible_travel', () => {
  let t: SessionTestingModule;
  const asked: string[] = [];

  beforeEach(async () => {
    asked.length = 0;
    t = await createSessionTestingModule({
      ...LONG_LIVED,
      anomaly: {
        geoResolver: (ip) => {
          asked.push(ip);
          return PLACES[ip] ?? null;
        },
      },
    });
  });
  afterEach(() => t.moduleRef.close());

  /** Events are delivered on the next turn of the event loop (setImmediate). */
  const kinds = async () => {
    await new Promise((resolve) => setImmediate(resolve));
    return t.events
      .map((e) => e.payload)
      .filter((p): p is SessionAnomalyEvent => p instanceof SessionAnomalyEvent)
      .map((p) => [p.kind, p.details.previous, p.details.current]);
  };
  const kindNames = async () => (await kinds()).map(([kind]) => kind);

  it('London, then New York a minute later: both kinds, with the places', async () => {
    const { token } = await t.service.create('u1', at('198.51.100.1'));
    t.clock.advance(60);
    await t.service.check(token, at('198.51.100.2'));
    expect(await kinds()).toEqual([
      ['ip_changed', '198.51.100.1', '198.51.100.2'],
      ['country_changed', 'GB', 'US'],
      ['impossible_travel', 'London, GB', 'New York, US'],
    ]);
  });

  it('London, then New York ten hours later (a flight): country_changed only', async () => {
    const { token } = await t.service.create('u1', at('198.51.100.1'));
    t.clock.advance(10 * 3600); // 5,570 km in 10 h: 557 km/h
    await t.service.check(token, at('198.51.100.2'));
    expect(await kindNames()).toEqual(['ip_changed', 'country_changed']);
  });

  it('measures from where the session was last seen: a quick hop back after a real trip is impossible', async () => {
    const { token } = await t.service.create('u1', at('198.51.100.1'));
    t.clock.advance(10 * 3600); // a flight to New York
    await t.service.check(token, at('198.51.100.2'));
    t.clock.advance(60);
    await t.service.check(token, at('198.51.100.1')); // London again a minute later
    expect(await kinds()).toEqual([
      ['ip_changed', '198.51.100.1', '198.51.100.2'],
      ['country_changed', 'GB', 'US'], // once per window: not again on the way back
      ['impossible_travel', 'New York, US', 'London, GB'],
    ]);
  });

  it('remembers a move once: staying at the new address writes nothing more', async () => {
    const { token } = await t.service.create('u1', at('198.51.100.1'));
    const sightings = jest.spyOn(t.store, 'recordSighting');
    t.clock.advance(10 * 3600);
    for (let i = 0; i < 5; i++) await t.service.check(token, at('198.51.100.2'));
    expect(sightings).toHaveBeenCalledTimes(1);
  });

  it('a nearby city at once is within the locations’ accuracy: not travel', async () => {
    const { token } = await t.service.create('u1', at('198.51.100.1'));
    await t.service.check(token, at('198.51.100.3')); // Croydon, 15 km, same second
    expect(await kindNames()).toEqual(['ip_changed']);
  });

  it('between the user’s sign-ins: Paris right after London is impossible', async () => {
    await t.service.create('u1', at('198.51.100.1'));
    t.clock.advance(30 * 60); // 344 km, 244 beyond the allowance, in 30 min: 488 km/h
    await t.service.create('u1', at('198.51.100.4'));
    expect(await kindNames()).toEqual(['concurrent_locations', 'country_changed']);
    t.clock.advance(60);
    await t.service.create('u1', at('198.51.100.1')); // back in London a minute later
    expect(await kindNames()).toEqual([
      'concurrent_locations',
      'country_changed',
      'concurrent_locations',
      'country_changed',
      'impossible_travel',
    ]);
  });

  it('never for private or unknown addresses, which the resolver is not even asked about', async () => {
    const { token } = await t.service.create('u1', at('10.0.0.7'));
    await t.service.check(token, at('192.168.1.9'));
    await t.service.check(token, at('198.51.100.1'));
    expect(await kindNames()).toEqual(['ip_changed']);
    expect(asked).toEqual(['198.51.100.1']);
  });

  it('asks the resolver once per address while it is cached', async () => {
    const { token } = await t.service.create('u1', at('198.51.100.1'));
    for (let i = 0; i < 5; i++) await t.service.check(token, at('198.51.100.2'));
    expect(asked.sort()).toEqual(['198.51.100.1', '198.51.100.2']);
  });
});

describe('impossible_travel with the revoke action and a lower speed', () => {
  it('ends the session and refuses the request', async () => {
    const t = await createSessionTestingModule({
      ...LONG_LIVED,
      anomaly: {
        geoResolver: (ip) => PLACES[ip] ?? null,
        maxTravelSpeed: 300,
        actions: { impossible_travel: 'revoke' },
      },
    });
    try {
      const { token } = await t.service.create('u1', at('198.51.100.1'));
      t.clock.advance(3600); // London → Paris in an hour: 244 km/h over the allowance
      expect((await t.service.check(token, at('198.51.100.4'))).ok).toBe(true);
      const other = await t.service.create('u2', at('198.51.100.1'));
      t.clock.advance(60);
      expect((await t.service.check(other.token, at('198.51.100.4'))).ok).toBe(false);
    } finally {
      await t.moduleRef.close();
    }
  });
});
