import { bearer, registerUser, type TestUser } from '../support/auth-helpers';
import { expectErrorBody } from '../support/error-shape';
import { type AuditEvent, waitForAudit } from '../support/security-helpers';
import { startTestApp, type TestApp } from '../support/test-app';
import { createTestDatabase, type TestDatabase } from '../support/test-database';
import { sleep } from '../support/wait';

interface Client {
  agent?: string;
  forwardedFor?: string;
}

/**
 * Each request is compared with what its session saw at login. A change is reported as
 * session.anomaly (at most once per session, kind and window, so an attacker cannot flood the
 * audit table), and with SESSION_ANOMALY_ACTION=revoke it ends the session.
 */
describe('anomaly detection', () => {
  let database: TestDatabase;
  let app: TestApp;
  let revoking: TestApp;

  beforeAll(async () => {
    database = await createTestDatabase();
    // TRUST_PROXY=1: the client ip is the X-Forwarded-For entry the (trusted, loopback) hop
    // before the app appended, so the tests can vary it.
    app = await startTestApp({ database, trustProxy: 1 });
    revoking = await startTestApp({ database, session: { anomalyAction: 'revoke' } });
  });

  afterAll(async () => {
    await app.close();
    await revoking.close();
    await database.drop();
  });

  const withClient = <T extends { set(name: string, value: string): T }>(req: T, c: Client): T => {
    let result = req;
    if (c.agent !== undefined) result = result.set('User-Agent', c.agent);
    if (c.forwardedFor !== undefined) result = result.set('X-Forwarded-For', c.forwardedFor);
    return result;
  };

  const login = async (target: TestApp, user: TestUser, client: Client) => {
    const response = await withClient(target.http().post('/auth/token'), client)
      .send({ email: user.email, password: user.password })
      .expect(200);
    return { token: response.body.token as string, sessionId: response.body.session.id as string };
  };

  const me = (target: TestApp, token: string, client: Client) =>
    withClient(target.http().get('/me').set('Authorization', bearer(token)), client);

  const anomalies = (events: AuditEvent[], kind: string) =>
    events.filter((e) => e.type === 'session.anomaly' && e.reason === kind);

  it('a changed User-Agent is reported as user_agent_changed, once per window however often it recurs', async () => {
    const user = await registerUser(app);
    const session = await login(app, user, { agent: 'agent-a' });
    for (let i = 0; i < 5; i += 1) await me(app, session.token, { agent: 'agent-b' }).expect(200);

    const events = await waitForAudit(
      app,
      session.token,
      (list) => anomalies(list, 'user_agent_changed').length >= 1,
      'agent-a',
    );
    await sleep(200);
    const settled = await waitForAudit(app, session.token, () => true, 'agent-a');
    expect(anomalies(settled, 'user_agent_changed')).toHaveLength(1);
    expect(anomalies(events, 'user_agent_changed')[0]).toMatchObject({
      sessionId: session.sessionId,
      userAgent: 'agent-b',
    });
  });

  it('a changed ip (X-Forwarded-For behind a trusted proxy) is reported as ip_changed', async () => {
    const user = await registerUser(app);
    const at = { forwardedFor: '203.0.113.20' };
    const session = await login(app, user, at);
    await me(app, session.token, { forwardedFor: '198.51.100.20' }).expect(200);
    const events = await waitForAudit(
      app,
      session.token,
      (list) => anomalies(list, 'ip_changed').length >= 1,
    );
    expect(anomalies(events, 'ip_changed')[0]).toMatchObject({
      sessionId: session.sessionId,
      ip: '198.51.100.20',
    });
  });

  it('logins of one user from two ips are reported as concurrent_locations', async () => {
    const user = await registerUser(app);
    await login(app, user, { forwardedFor: '203.0.113.7' });
    const second = await login(app, user, { forwardedFor: '198.51.100.9' });
    const events = await waitForAudit(
      app,
      second.token,
      (list) => anomalies(list, 'concurrent_locations').length >= 1,
    );
    expect(anomalies(events, 'concurrent_locations')[0]).toMatchObject({
      sessionId: second.sessionId,
      ip: '198.51.100.9',
    });
  });

  it('with SESSION_ANOMALY_ACTION=revoke the request gets 401 and the session is revoked (reason anomaly)', async () => {
    const user = await registerUser(revoking);
    const victim = await login(revoking, user, { agent: 'agent-a' });
    const watcher = await login(revoking, user, { agent: 'agent-a' });

    const hijack = await me(revoking, victim.token, { agent: 'agent-b' });
    expect(hijack.status).toBe(401);
    expectErrorBody(hijack.body, 401);
    // Revoked, not merely refused: the original client is out too.
    await me(revoking, victim.token, { agent: 'agent-a' }).expect(401);

    const events = await waitForAudit(
      revoking,
      watcher.token,
      (list) => list.some((e) => e.type === 'session.revoked'),
      'agent-a',
    );
    expect(events.find((e) => e.type === 'session.revoked')).toMatchObject({
      sessionId: victim.sessionId,
      reason: 'anomaly',
    });
    expect(anomalies(events, 'user_agent_changed')[0]).toMatchObject({
      sessionId: victim.sessionId,
    });
    await me(revoking, watcher.token, { agent: 'agent-a' }).expect(200);
  });
});
