import { bearer, loginWithToken, registerUser } from '../support/auth-helpers';
import { expectErrorBody } from '../support/error-shape';
import { waitForAudit } from '../support/security-helpers';
import { startTestApp, type TestApp } from '../support/test-app';
import { sleep } from '../support/wait';

/**
 * An ended session's token is kept as a hash (a tombstone) for the retention window, so a token
 * that comes back after logout or revocation is recognised as a replay — the signature of a
 * stolen token — instead of being just another unknown string.
 */
describe('replay detection', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp();
  });

  afterAll(async () => {
    await app.close();
  });

  it('a logged-out token presented again answers 401 and appears as session.replay_detected in /audit', async () => {
    const user = await registerUser(app);
    const stolen = await loginWithToken(app, user);
    const watcher = await loginWithToken(app, user);
    await app.http().post('/auth/logout').set('Authorization', bearer(stolen.token)).expect(204);

    const replay = await app.http().get('/me').set('Authorization', bearer(stolen.token));
    expect(replay.status).toBe(401);
    expectErrorBody(replay.body, 401);
    const events = await waitForAudit(app, watcher.token, (list) =>
      list.some((e) => e.type === 'session.replay_detected'),
    );
    expect(events.find((e) => e.type === 'session.replay_detected')).toMatchObject({
      sessionId: stolen.sessionId,
      reason: 'logout',
    });
  });

  it('a token revoked from another device (DELETE /sessions/:id) is a replay too', async () => {
    const user = await registerUser(app);
    const lost = await loginWithToken(app, user);
    const owner = await loginWithToken(app, user);
    await app
      .http()
      .delete(`/sessions/${lost.sessionId}`)
      .set('Authorization', bearer(owner.token))
      .expect(204);
    await app.http().get('/me').set('Authorization', bearer(lost.token)).expect(401);
    const events = await waitForAudit(app, owner.token, (list) =>
      list.some((e) => e.type === 'session.replay_detected'),
    );
    expect(events.find((e) => e.type === 'session.replay_detected')).toMatchObject({
      sessionId: lost.sessionId,
      reason: 'user',
    });
  });

  it('a replay loop cannot flood the audit table: one event per session per window', async () => {
    const user = await registerUser(app);
    const stolen = await loginWithToken(app, user);
    const watcher = await loginWithToken(app, user);
    await app.http().post('/auth/logout').set('Authorization', bearer(stolen.token)).expect(204);
    for (let i = 0; i < 20; i += 1) {
      await app.http().get('/me').set('Authorization', bearer(stolen.token)).expect(401);
    }
    await waitForAudit(app, watcher.token, (list) =>
      list.some((e) => e.type === 'session.replay_detected'),
    );
    await sleep(200); // let any further (wrong) writes land before counting
    const events = await waitForAudit(app, watcher.token, () => true);
    expect(events.filter((e) => e.type === 'session.replay_detected')).toHaveLength(1);
  });

  it('an unknown well-formed token is not a replay (nothing to report, nothing written)', async () => {
    const user = await registerUser(app);
    const watcher = await loginWithToken(app, user);
    await app
      .http()
      .get('/me')
      .set('Authorization', bearer('A'.repeat(43)))
      .expect(401);
    await sleep(200);
    const events = await waitForAudit(app, watcher.token, () => true);
    expect(events.some((e) => e.type === 'session.replay_detected')).toBe(false);
  });
});
