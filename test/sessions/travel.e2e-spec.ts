import { bearer, registerUser, type TestUser } from '../support/auth-helpers';
import { type AuditEvent, waitForAudit } from '../support/security-helpers';
import { startTestApp, type TestApp } from '../support/test-app';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

/** Public addresses on three continents, as DB-IP Lite (the sample app's database) places them. */
const LONDON = '81.2.69.142';
const MOUNTAIN_VIEW = '8.8.8.8';
const TOKYO_AREA = '202.12.27.33';

/**
 * Travel that cannot happen, with the sample app's real ip database, the client address coming
 * from X-Forwarded-For behind a trusted proxy (TRUST_PROXY=1). A session used from another
 * continent a moment after it signed in is `impossible_travel` (and `country_changed`); so is a
 * sign-in far from the user's last one. Private addresses never are. (That `revoke` ends the
 * session for this kind is the library's session-anomaly.travel.spec.ts: the sample app's one
 * SESSION_ANOMALY_ACTION would end it for the ip change already.)
 */
describe('impossible travel and session locations (DB-IP Lite)', () => {
  let database: TestDatabase;
  let app: TestApp;
  let unlocated: TestApp;

  beforeAll(async () => {
    database = await createTestDatabase();
    app = await startTestApp({ database, trustProxy: 1 });
    unlocated = await startTestApp({ database, trustProxy: 1, session: { geoip: false } });
  });
  afterAll(async () => {
    await app?.close();
    await unlocated?.close();
    await database?.drop();
  });

  const login = async (target: TestApp, user: TestUser, ip: string) => {
    const response = await target
      .http()
      .post('/auth/token')
      .set('X-Forwarded-For', ip)
      .send({ email: user.email, password: user.password });
    return {
      status: response.status,
      token: response.body.token as string,
      sessionId: response.body.session?.id as string,
    };
  };
  const me = (target: TestApp, token: string, ip: string) =>
    target.http().get('/me').set('Authorization', bearer(token)).set('X-Forwarded-For', ip);
  const reasons = (events: AuditEvent[]) =>
    events.filter((e) => e.type === 'session.anomaly').map((e) => e.reason);

  it('London, then California a moment later: country_changed and impossible_travel', async () => {
    const user = await registerUser(app);
    const session = await login(app, user, LONDON);
    await me(app, session.token, MOUNTAIN_VIEW).expect(200);
    // The audit rows are written from the event bus, in no fixed order: wait for all three.
    const events = await waitForAudit(app, session.token, (list) =>
      ['ip_changed', 'country_changed', 'impossible_travel'].every((kind) =>
        reasons(list).includes(kind),
      ),
    );
    expect(reasons(events)).toEqual(
      expect.arrayContaining(['ip_changed', 'country_changed', 'impossible_travel']),
    );
  });

  it('a sign-in near Tokyo right after one in London is impossible_travel on the new session', async () => {
    const user = await registerUser(app);
    await login(app, user, LONDON);
    const second = await login(app, user, TOKYO_AREA);
    const events = await waitForAudit(app, second.token, (list) =>
      reasons(list).includes('impossible_travel'),
    );
    expect(events.find((e) => e.reason === 'impossible_travel')).toMatchObject({
      sessionId: second.sessionId,
      ip: TOKYO_AREA,
    });
  });

  it('private addresses never trigger it', async () => {
    const user = await registerUser(app);
    const session = await login(app, user, '10.1.2.3');
    await me(app, session.token, '192.168.7.7').expect(200);
    await me(app, session.token, '172.16.0.9').expect(200);
    const events = await waitForAudit(app, session.token, (list) =>
      reasons(list).includes('ip_changed'),
    );
    expect(reasons(events)).not.toContain('impossible_travel');
    expect(reasons(events)).not.toContain('country_changed');
  });

  it('/sessions and the GraphQL list carry where each session signed in from', async () => {
    const user = await registerUser(app);
    const london = await login(app, user, LONDON);
    await login(app, user, '10.9.9.9');
    const listed = await app
      .http()
      .get('/sessions')
      .set('Authorization', bearer(london.token))
      .set('X-Forwarded-For', LONDON)
      .expect(200);
    const locations = Object.fromEntries(
      (listed.body as Array<{ ip: string; location: unknown }>).map((s) => [s.ip, s.location]),
    );
    expect(locations).toEqual({
      [LONDON]: { country: 'GB', city: 'London' },
      '10.9.9.9': { country: null, city: null },
    });
    const graphql = await app
      .http()
      .post('/graphql')
      .set('Authorization', bearer(london.token))
      .set('X-Forwarded-For', LONDON)
      .send({ query: '{ sessions { ip location { country city } } }' })
      .expect(200);
    expect(graphql.body.data.sessions).toEqual(
      expect.arrayContaining([{ ip: LONDON, location: { country: 'GB', city: 'London' } }]),
    );
  });

  it('SESSION_GEOIP=false: no locations, no travel kinds', async () => {
    const user = await registerUser(unlocated);
    const session = await login(unlocated, user, LONDON);
    await me(unlocated, session.token, MOUNTAIN_VIEW).expect(200);
    const listed = await unlocated
      .http()
      .get('/sessions')
      .set('Authorization', bearer(session.token))
      .set('X-Forwarded-For', MOUNTAIN_VIEW)
      .expect(200);
    expect(listed.body[0].location).toEqual({ country: null, city: null });
    const events = await waitForAudit(unlocated, session.token, (list) =>
      reasons(list).includes('ip_changed'),
    );
    expect(reasons(events)).not.toContain('impossible_travel');
  });
});
