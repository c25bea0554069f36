import { createHash } from 'node:crypto';
import {
  CLIENT,
  createSessionTestingModule,
  flushEvents,
  type SessionTestingModule,
} from './testing/session-testing.module';
import type { SessionModuleOptions } from './options/session-module-options.interface';
import type { InMemorySessionStore } from './store/memory/in-memory-session.store';
import { isWellFormedToken } from './token/session-token';

describe('SessionService', () => {
  let t: SessionTestingModule<InMemorySessionStore>;
  const open = async (options: SessionModuleOptions = {}) => {
    t = await createSessionTestingModule(options);
    return t;
  };
  afterEach(async () => t?.moduleRef.close());

  describe('create', () => {
    it('returns a token whose SHA-256 — not the token — is what the store keeps', async () => {
      const { service, store } = await open();
      const { session, token } = await service.create('user-1', CLIENT);
      expect(isWellFormedToken(token)).toBe(true);
      const record = await store.findById(session.id);
      expect(record?.tokenHash.equals(createHash('sha256').update(token).digest())).toBe(true);
      expect(JSON.stringify(record)).not.toContain(token);
      expect(session).not.toHaveProperty('tokenHash');
    });
  });

  describe('authenticate / validate', () => {
    it('returns the live session a token belongs to', async () => {
      const { service } = await open();
      const { session, token } = await service.create('user-1', CLIENT, { role: 'admin' });
      expect(await service.validate(token, CLIENT)).toMatchObject({
        id: session.id,
        userId: 'user-1',
        data: { role: 'admin' },
      });
    });

    it('refuses a missing or malformed token without reading the store', async () => {
      const { service, store } = await open();
      const { token } = await service.create('user-1', CLIENT);
      const find = jest.spyOn(store, 'findByTokenHash');
      for (const garbage of ['garbage', 'A'.repeat(10_000), `${token}=`, `${token.slice(3)}%2D`]) {
        expect(await service.authenticate(garbage, CLIENT)).toEqual({
          ok: false,
          failure: 'invalid',
        });
      }
      expect(await service.authenticate(undefined, CLIENT)).toEqual({
        ok: false,
        failure: 'missing',
      });
      expect(find).not.toHaveBeenCalled();
    });

    it('expires a session idleTimeout after its last renewal', async () => {
      const { service, clock } = await open();
      const active = await service.create('user-1', CLIENT);
      const idle = await service.create('user-1', CLIENT);
      clock.advance(1799);
      expect(await service.validate(active.token, CLIENT)).not.toBeNull();
      clock.advance(1);
      expect(await service.authenticate(idle.token, CLIENT)).toEqual({
        ok: false,
        failure: 'expired',
      });
      expect(await service.validate(active.token, CLIENT)).not.toBeNull();
    });

    it('expires a session absoluteTimeout after creation however active it is', async () => {
      const { service, clock } = await open({ idleTimeout: 600, absoluteTimeout: 3600 });
      const { token } = await service.create('user-1', CLIENT);
      for (let at = 500; at < 3600; at += 500) {
        clock.advance(500);
        expect(await service.validate(token, CLIENT)).not.toBeNull();
      }
      clock.advance(100); // t = 3600 s
      expect(await service.authenticate(token, CLIENT)).toEqual({ ok: false, failure: 'expired' });
    });

    // Fails today: see /tmp/coord/unit-test-findings.md (SessionStore.end only ends live
    // sessions, so the service's end() of an already-expired session is a no-op).
    it.each([
      ['idle', [600]],
      ['absolute', [500, 500, 500, 500, 500, 500, 500, 100]],
    ])(
      'reports exactly one session.expired (reason %s) however many requests see the expiry',
      async (reason, steps) => {
        const { service, clock, eventsNamed } = await open({
          idleTimeout: 600,
          absoluteTimeout: 3600,
        });
        const { session, token } = await service.create('user-1', CLIENT);
        for (const seconds of steps) {
          clock.advance(seconds);
          await service.authenticate(token, CLIENT);
        }
        await Promise.all([1, 2, 3].map(() => service.authenticate(token, CLIENT)));
        await flushEvents();
        expect(eventsNamed('session.expired')).toEqual([
          expect.objectContaining({ sessionId: session.id, userId: 'user-1', reason }),
        ]);
      },
    );

    it('slides the idle expiry forward with activity, but never past absoluteExpiresAt', async () => {
      const { service, clock } = await open({ idleTimeout: 600, absoluteTimeout: 1000 });
      const { session, token } = await service.create('user-1', CLIENT);
      const at = (s: number) => new Date(session.createdAt.getTime() + s * 1000);
      expect(session.expiresAt).toEqual(at(600));
      clock.advance(100);
      expect((await service.validate(token, CLIENT))?.expiresAt).toEqual(at(700));
      clock.advance(500);
      const renewed = await service.validate(token, CLIENT);
      expect(renewed?.expiresAt).toEqual(at(1000));
      expect(renewed?.expiresAt).toEqual(renewed?.absoluteExpiresAt);
    });

    it('writes at most once per touchInterval for a burst of 50 validations', async () => {
      const { service, store, clock, eventsNamed } = await open({ touchInterval: 60 });
      const { token } = await service.create('user-1', CLIENT);
      const touch = jest.spyOn(store, 'touch');
      const writes = async () =>
        (await Promise.all(touch.mock.results.map((r) => r.value))).filter(Boolean).length;
      const burst = () =>
        Promise.all(Array.from({ length: 50 }, () => service.validate(token, CLIENT)));

      clock.advance(61);
      expect((await burst()).every((s) => s !== null)).toBe(true);
      expect(await writes()).toBe(1);
      clock.advance(30);
      await burst();
      expect(await writes()).toBe(1);
      clock.advance(31);
      await burst();
      expect(await writes()).toBe(2);
      await flushEvents();
      expect(eventsNamed('session.renewed')).toHaveLength(2);
    });

    it('answers "revoked" for the token of a revoked session', async () => {
      const { service, eventsNamed } = await open();
      const { session, token } = await service.create('user-1', CLIENT);
      expect(await service.revoke(session.id, 'logout')).toBe(true);
      expect(await service.revoke(session.id, 'logout')).toBe(false);
      expect(await service.authenticate(token, CLIENT)).toEqual({ ok: false, failure: 'revoked' });
      await flushEvents();
      expect(eventsNamed('session.revoked')).toEqual([
        expect.objectContaining({ sessionId: session.id, reason: 'logout' }),
      ]);
    });
  });

  describe('rotate', () => {
    it('kills the old token at once and issues a working new one for the same session', async () => {
      const { service, eventsNamed } = await open();
      const issued = await service.create('user-1', CLIENT);
      const rotated = await service.rotate(issued.session.id, CLIENT);
      expect(rotated?.session.id).toBe(issued.session.id);
      expect(rotated?.token).not.toBe(issued.token);
      expect(rotated?.session.csrfToken).not.toBe(issued.session.csrfToken);
      // No clock advance: an explicit rotation leaves no grace period to the old token.
      expect(await service.validate(issued.token, CLIENT)).toBeNull();
      expect((await service.validate(rotated?.token ?? '', CLIENT))?.id).toBe(issued.session.id);
      await flushEvents();
      expect(eventsNamed('session.rotated')).toEqual([
        expect.objectContaining({ sessionId: issued.session.id, userId: 'user-1' }),
      ]);
    });

    it('returns null for a session that is no longer live', async () => {
      const { service } = await open();
      const { session } = await service.create('user-1', CLIENT);
      await service.revoke(session.id, 'logout');
      expect(await service.rotate(session.id, CLIENT)).toBeNull();
    });
  });

  describe('revokeAllForUser', () => {
    it('ends every session of the user but the one excepted, and no one else’s', async () => {
      const { service, eventsNamed } = await open();
      const keep = await service.create('user-1', CLIENT);
      const ended = [
        await service.create('user-1', CLIENT),
        await service.create('user-1', CLIENT),
      ];
      const other = await service.create('user-2', CLIENT);
      const count = await service.revokeAllForUser('user-1', {
        exceptSessionId: keep.session.id,
        reason: 'password_change',
      });
      expect(count).toBe(2);
      expect((await service.listActive('user-1')).map((s) => s.id)).toEqual([keep.session.id]);
      for (const { token } of ended) expect(await service.validate(token, CLIENT)).toBeNull();
      expect(await service.validate(other.token, CLIENT)).not.toBeNull();
      await flushEvents();
      const revoked = eventsNamed('session.revoked');
      expect(revoked.map((e) => e.sessionId).sort()).toEqual(ended.map((e) => e.session.id).sort());
      expect(revoked.every((e) => e.reason === 'password_change')).toBe(true);
    });

    it('refuses a login whose authentication began before the revocation (the password race)', async () => {
      const { service, clock } = await open();
      const startedAt = clock.now(); // the login reads the old password hash here…
      clock.advance(1);
      await service.revokeAllForUser('user-1', { reason: 'password_change' }); // …the change lands…
      clock.advance(1);
      // …and the login, its argon2 done, creates its session: refused, with a clear 401.
      await expect(
        service.create('user-1', CLIENT, {}, { authenticatedSince: startedAt }),
      ).rejects.toMatchObject({
        status: 401,
        response: expect.objectContaining({
          error: 'unauthorized',
          message: expect.stringMatching(/revoked/),
        }),
      });
      expect(await service.countActive('user-1')).toBe(0);
      // A login that began after it is fine; another user is unaffected.
      await expect(
        service.create('user-1', CLIENT, {}, { authenticatedSince: clock.now() }),
      ).resolves.toBeDefined();
      await expect(
        service.create('user-2', CLIENT, {}, { authenticatedSince: startedAt }),
      ).resolves.toBeDefined();
    });
  });

  describe('revokeAll', () => {
    it('ends every live session of every user, reports how many, and no more events than one log line', async () => {
      const { service, eventsNamed } = await open({ cache: { ttl: 60 } });
      const sessions = [
        await service.create('user-1', CLIENT),
        await service.create('user-2', CLIENT),
        await service.create('user-3', CLIENT),
      ];
      for (const { token } of sessions)
        expect(await service.validate(token, CLIENT)).not.toBeNull(); // cached
      await service.revoke(sessions[2].session.id, 'logout');
      expect(await service.revokeAll()).toBe(2);
      for (const { token } of sessions) expect(await service.validate(token, CLIENT)).toBeNull();
      expect(await service.countActive('user-1')).toBe(0);
      await flushEvents();
      expect(eventsNamed('session.revoked')).toHaveLength(1); // only the logout
    });
  });
});
