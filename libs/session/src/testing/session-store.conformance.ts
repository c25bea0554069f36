import { randomBytes, randomUUID } from 'node:crypto';
import type { SessionRecord } from '../store/session.record';
import { isLive } from '../policy/session.policy';
import type { SessionStore } from '../store/session.store';
import { makeSessionRecord } from './session-record.factory';

export interface StoreHarness {
  store: SessionStore;
  /** Called after the suite; close connections. */
  close?: () => Promise<void>;
}

const T0 = new Date('2026-03-01T12:00:00.000Z');
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);
const endParams = (reason: 'logout' | 'user' | 'idle' | 'password_change', seconds = 10) => ({
  reason,
  now: at(seconds),
  purgeAfter: at(seconds + 86400),
});

/**
 * The contract every `SessionStore` must pass. A store that needs an exception here is wrong.
 *
 * @example describeSessionStore('InMemorySessionStore', async () => ({ store: new InMemorySessionStore() }))
 */
export function describeSessionStore(name: string, open: () => Promise<StoreHarness>): void {
  describe(`SessionStore contract: ${name}`, () => {
    let harness: StoreHarness;
    let store: SessionStore;
    let userId: string;

    beforeAll(async () => {
      harness = await open();
      store = harness.store;
    });
    afterAll(async () => harness?.close?.());
    beforeEach(() => {
      userId = `user-${randomUUID()}`;
    });

    const add = async (overrides: Partial<SessionRecord> = {}) => {
      const record = makeSessionRecord(T0, { userId, ...overrides });
      await store.create(record, { now: T0, evictedPurgeAfter: at(86400) });
      return record;
    };

    it('finds a created session by token hash and by id, with every field intact', async () => {
      const record = await add({ data: { role: 'admin', n: 1 } });
      const byHash = await store.findByTokenHash(record.tokenHash);
      expect(byHash).toEqual(record);
      expect(await store.findById(record.id)).toEqual(record);
    });

    it('keeps the bound key of a session through rotation', async () => {
      const record = await add({ boundKey: 'dpop:NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs' });
      expect((await store.findByTokenHash(record.tokenHash))?.boundKey).toBe(record.boundKey);
      const rotated = await store.rotate(record.id, {
        newTokenHash: randomBytes(32),
        newCsrfToken: 'csrf-2',
        expectedGeneration: 0,
        now: at(5),
        graceUntil: null,
        purgeAfter: at(86400),
        reauthenticated: false,
      });
      expect(rotated?.boundKey).toBe(record.boundKey);
    });

    it('binds a live session to a key once: the first binding wins, an ended session is refused', async () => {
      const record = await add();
      const [first, second] = await Promise.all([
        store.bindKey(record.id, 'dbsc:{"kty":"EC","n":1}', at(1)),
        store.bindKey(record.id, 'dbsc:{"kty":"EC","n":2}', at(1)),
      ]);
      expect([first, second].filter((bound) => bound !== null)).toHaveLength(1);
      const winner = (first ?? second)?.boundKey;
      expect((await store.findByTokenHash(record.tokenHash))?.boundKey).toBe(winner);
      const ended = await add();
      await store.end(ended.id, endParams('logout'));
      expect(await store.bindKey(ended.id, 'dbsc:{}', at(20))).toBeNull();
    });

    it('records where a live session was last seen, and nothing for an ended one', async () => {
      const record = await add();
      expect(await store.recordSighting(record.id, '198.51.100.7', at(30))).toBe(true);
      const seen = await store.findByTokenHash(record.tokenHash);
      expect([seen?.lastIp, seen?.lastIpAt]).toEqual(['198.51.100.7', at(30)]);
      await store.end(record.id, endParams('logout', 40));
      expect(await store.recordSighting(record.id, '198.51.100.8', at(50))).toBe(false);
    });

    it('claims a proof once until it expires, once only among 20 racing claims', async () => {
      const key = `dpop:${randomUUID()}`;
      const claims = await Promise.all(
        Array.from({ length: 20 }, () => store.claimProof(key, at(60), T0)),
      );
      expect(claims.filter(Boolean)).toHaveLength(1);
      expect(await store.claimProof(key, at(60), at(30))).toBe(false);
      // Expired: a new claim of the same key may win again (it would be outside any window).
      expect(await store.claimProof(key, at(200), at(61))).toBe(true);
      expect(await store.claimProof(`dpop:${randomUUID()}`, at(60), T0)).toBe(true);
    });

    it('returns null for unknown hashes and ids', async () => {
      expect(await store.findByTokenHash(randomBytes(32))).toBeNull();
      expect(await store.findById(randomUUID())).toBeNull();
      expect(await store.findRotatedToken(randomBytes(32))).toBeNull();
    });

    it('touch writes once per interval and never past the conditions', async () => {
      const record = await add();
      const touch = (seconds: number, notAfterSeconds: number) =>
        store.touch(record.id, {
          lastSeenAt: at(seconds),
          idleExpiresAt: at(seconds + 1800),
          notAfter: at(notAfterSeconds),
          now: at(seconds),
        });
      expect(await touch(70, 10)).toBe(true);
      // A second request of the same burst: last_seen_at (70) is after notAfter (10).
      expect(await touch(71, 11)).toBe(false);
      const found = await store.findById(record.id);
      expect(found?.lastSeenAt).toEqual(at(70));
      expect(found?.idleExpiresAt).toEqual(at(1870));
    });

    it('touch never revives an ended or expired session', async () => {
      const ended = await add();
      await store.end(ended.id, endParams('logout'));
      const params = {
        lastSeenAt: at(100),
        idleExpiresAt: at(1900),
        notAfter: at(100),
        now: at(100),
      };
      expect(await store.touch(ended.id, params)).toBe(false);
      const idle = await add({ idleExpiresAt: at(50) });
      expect(await store.touch(idle.id, params)).toBe(false);
      expect((await store.findById(ended.id))?.endedAt).toEqual(at(10));
    });

    it('end is conditional and idempotent', async () => {
      const record = await add();
      const first = await store.end(record.id, endParams('logout'));
      expect(first).toMatchObject({ id: record.id, endReason: 'logout', endedAt: at(10) });
      expect(await store.end(record.id, endParams('user', 20))).toBeNull();
      expect((await store.findByTokenHash(record.tokenHash))?.endReason).toBe('logout');
    });

    it('records an expiry once, and never ends an expired session for another reason', async () => {
      const record = await add({ idleExpiresAt: at(5) });
      expect(await store.end(record.id, endParams('logout'))).toBeNull();
      const expired = await store.end(record.id, { ...endParams('idle'), reason: 'idle' });
      expect(expired).toMatchObject({ id: record.id, endReason: 'idle', endedAt: at(10) });
      expect(await store.end(record.id, endParams('idle', 11))).toBeNull();
    });

    it('lists and counts only live sessions, newest first', async () => {
      const older = await add({ createdAt: at(-20) });
      const newer = await add({ createdAt: at(-10) });
      await add({ idleExpiresAt: at(-1) });
      const ended = await add();
      await store.end(ended.id, endParams('logout', 0));
      const listed = await store.listActive(userId, T0);
      expect(listed.map((s) => s.id)).toEqual([newer.id, older.id]);
      expect(await store.countActive(userId, T0)).toBe(2);
    });

    it('ends all sessions of a user but one', async () => {
      const keep = await add();
      await add();
      await add();
      const ended = await store.endAllForUser(userId, { ...endParams('user'), exceptId: keep.id });
      expect(ended).toHaveLength(2);
      expect((await store.listActive(userId, at(10))).map((s) => s.id)).toEqual([keep.id]);
    });

    it('rotate swaps the hash, keeps the old one as a tombstone, bumps the generation', async () => {
      const record = await add();
      const newHash = randomBytes(32);
      const rotated = await store.rotate(record.id, {
        newTokenHash: newHash,
        newCsrfToken: 'csrf-2',
        now: at(30),
        graceUntil: at(40),
        purgeAfter: at(86400),
        reauthenticated: true,
      });
      expect(rotated).toMatchObject({ id: record.id, csrfToken: 'csrf-2', generation: 1 });
      expect(rotated?.authenticatedAt).toEqual(at(30));
      expect(await store.findByTokenHash(record.tokenHash)).toBeNull();
      expect((await store.findByTokenHash(newHash))?.id).toBe(record.id);
      expect(await store.findRotatedToken(record.tokenHash)).toEqual({
        tokenHash: record.tokenHash,
        sessionId: record.id,
        userId,
        graceUntil: at(40),
        purgeAfter: at(86400),
      });
    });

    it('of two rotations racing on one generation, exactly one wins', async () => {
      const record = await add();
      const race = () =>
        store.rotate(record.id, {
          newTokenHash: randomBytes(32),
          newCsrfToken: 'x',
          now: at(5),
          expectedGeneration: 0,
          graceUntil: null,
          purgeAfter: at(86400),
          reauthenticated: false,
        });
      const results = await Promise.all([race(), race(), race()]);
      expect(results.filter((r) => r !== null)).toHaveLength(1);
    });

    it('does not rotate an ended session', async () => {
      const record = await add();
      await store.end(record.id, endParams('logout'));
      const rotated = await store.rotate(record.id, {
        newTokenHash: randomBytes(32),
        newCsrfToken: 'x',
        now: at(20),
        graceUntil: null,
        purgeAfter: at(86400),
        reauthenticated: false,
      });
      expect(rotated).toBeNull();
    });

    it('updates data of live sessions only', async () => {
      const record = await add();
      expect((await store.updateData(record.id, { theme: 'dark' }, at(1)))?.data).toEqual({
        theme: 'dark',
      });
      await store.end(record.id, endParams('logout'));
      expect(await store.updateData(record.id, { theme: 'light' }, at(20))).toBeNull();
      expect((await store.findById(record.id))?.data).toEqual({ theme: 'dark' });
    });

    it.each(['evict-oldest', 'evict-least-recent'] as const)(
      'holds the limit under 30 concurrent creates (%s)',
      async (strategy) => {
        const records = Array.from({ length: 30 }, (_, i) =>
          makeSessionRecord(T0, { userId, createdAt: at(i), lastSeenAt: at(60 - i) }),
        );
        const results = await Promise.all(
          records.map((r) =>
            store.create(r, {
              limit: { max: 3, strategy },
              now: at(100),
              evictedPurgeAfter: at(86400),
            }),
          ),
        );
        expect(results.every((r) => r.created)).toBe(true);
        expect(await store.countActive(userId, at(100))).toBe(3);
        const evicted = results.flatMap((r) => (r.created ? r.evicted : []));
        expect(evicted).toHaveLength(27);
        expect(new Set(evicted.map((e) => e.id)).size).toBe(27);
      },
    );

    it('evicts the earliest created or the least recently active', async () => {
      const a = await add({ createdAt: at(-30), lastSeenAt: at(-1) });
      const b = await add({ createdAt: at(-20), lastSeenAt: at(-5) });
      const create = (strategy: 'evict-oldest' | 'evict-least-recent') =>
        store.create(makeSessionRecord(T0, { userId }), {
          limit: { max: 2, strategy },
          now: T0,
          evictedPurgeAfter: at(86400),
        });
      const first = await create('evict-oldest');
      expect(first.created && first.evicted.map((e) => e.id)).toEqual([a.id]);
      const second = await create('evict-least-recent');
      expect(second.created && second.evicted.map((e) => e.id)).toEqual([b.id]);
    });

    it('reject admits exactly the limit under 30 concurrent creates and writes nothing else', async () => {
      const results = await Promise.all(
        Array.from({ length: 30 }, () =>
          store.create(makeSessionRecord(T0, { userId }), {
            limit: { max: 3, strategy: 'reject' },
            now: T0,
            evictedPurgeAfter: at(86400),
          }),
        ),
      );
      expect(results.filter((r) => r.created)).toHaveLength(3);
      expect(results.filter((r) => !r.created)).toHaveLength(27);
      expect(await store.countActive(userId, T0)).toBe(3);
    });

    it('purges sessions and rotated tokens past retention, in batches', async () => {
      const old = await add({ purgeAfter: at(10) });
      await store.rotate(old.id, {
        newTokenHash: randomBytes(32),
        newCsrfToken: 'x',
        now: at(1),
        graceUntil: null,
        purgeAfter: at(5),
        reauthenticated: false,
      });
      const kept = await add({ purgeAfter: at(1000) });
      let removed = 0;
      for (let i = 0; i < 10; i++) removed += await store.purge(at(20), 1);
      expect(removed).toBeGreaterThanOrEqual(2);
      expect(await store.findById(old.id)).toBeNull();
      expect(await store.findRotatedToken(old.tokenHash)).toBeNull();
      expect(await store.findById(kept.id)).not.toBeNull();
    });

    it('refuses a second session with a token hash already in use, leaving the first intact', async () => {
      const first = await add();
      const twin = makeSessionRecord(T0, { userId: `${userId}-twin`, tokenHash: first.tokenHash });
      await expect(store.create(twin, { now: T0, evictedPurgeAfter: at(86400) })).rejects.toThrow();
      expect((await store.findByTokenHash(first.tokenHash))?.id).toBe(first.id);
      expect(await store.findById(twin.id)).toBeNull();
    });

    it('a revocation watermark refuses creates whose authentication began at or before it', async () => {
      await add();
      await store.endAllForUser(userId, { ...endParams('password_change', 20), watermark: at(20) });
      const create = (since: Date) =>
        store.create(makeSessionRecord(at(21), { userId }), {
          now: at(21),
          evictedPurgeAfter: at(86400),
          authenticatedSince: since,
        });
      expect(await create(at(19))).toEqual({ created: false, reason: 'revoked' });
      expect(await create(at(20))).toEqual({ created: false, reason: 'revoked' });
      expect(await store.countActive(userId, at(21))).toBe(0);
      expect((await create(at(21))).created).toBe(true);
      // Without authenticatedSince nothing is checked; a watermark never moves back.
      expect((await create(undefined as unknown as Date)).created).toBe(true);
      await store.endAllForUser(userId, { ...endParams('user', 30), watermark: at(10) });
      expect(await create(at(15))).toEqual({ created: false, reason: 'revoked' });
    });

    it('no create that began before a racing revocation survives it (30 creates, each limit mode)', async () => {
      for (const limit of [undefined, { max: 100, strategy: 'evict-oldest' as const }]) {
        const racer = `${userId}-${limit ? 'limit' : 'plain'}`;
        const creates = Array.from({ length: 30 }, () =>
          store.create(makeSessionRecord(T0, { userId: racer }), {
            limit,
            now: at(5),
            evictedPurgeAfter: at(86400),
            authenticatedSince: at(1),
          }),
        );
        const revocation = store.endAllForUser(racer, {
          ...endParams('password_change', 5),
          watermark: at(5),
        });
        const [results] = await Promise.all([Promise.all(creates), revocation]);
        expect(results.some((r) => !r.created && r.reason !== 'revoked')).toBe(false);
        expect(await store.countActive(racer, at(6))).toBe(0);
      }
    });

    describe('liveness agrees with SessionPolicy.isLive at the edges of expiry', () => {
      const EDGE = at(100);
      const ms = (offset: number) => new Date(EDGE.getTime() + offset);
      const kinds = {
        idle: { idleExpiresAt: EDGE, absoluteExpiresAt: at(86400) },
        absolute: { idleExpiresAt: ms(60_000), absoluteExpiresAt: EDGE },
      };

      describe.each(Object.entries(kinds))('%s expiry', (_kind, times) => {
        it.each([-1, 0, 1])('%i ms from it', async (offset) => {
          const now = ms(offset);
          const live = isLive({ ...times, endedAt: null }, now);
          const fresh = () => add(times);

          const before = await store.countAllActive(now);
          const listed = await fresh();
          expect((await store.listActive(userId, now)).some((s) => s.id === listed.id)).toBe(live);
          expect(await store.countActive(userId, now)).toBe(live ? 1 : 0);
          // A store that counts all sessions counts by the same rule (null: it does not count).
          const after = await store.countAllActive(now);
          const counted = before === null ? after : (after ?? Number.NaN) - before;
          expect(counted).toBe(before === null ? null : Number(live));

          const touched = await fresh();
          const touch = {
            lastSeenAt: now,
            idleExpiresAt: new Date(now.getTime() + 1_800_000),
            notAfter: now,
            now,
          };
          expect(await store.touch(touched.id, touch)).toBe(live);
          expect((await store.updateData((await fresh()).id, { n: 1 }, now)) !== null).toBe(live);
          const ended = await store.end((await fresh()).id, {
            reason: 'logout',
            now,
            purgeAfter: at(86400),
          });
          expect(ended !== null).toBe(live);
          const rotated = await store.rotate((await fresh()).id, {
            newTokenHash: randomBytes(32),
            newCsrfToken: 'x',
            now,
            graceUntil: null,
            purgeAfter: at(86400),
            reauthenticated: false,
          });
          expect(rotated !== null).toBe(live);
        });

        it.each([-1, 0, 1])(
          '%i ms from it, a limit counts the session only while live',
          async (offset) => {
            const now = ms(offset);
            const live = isLive({ ...times, endedAt: null }, now);
            await add(times);
            const result = await store.create(makeSessionRecord(now, { userId }), {
              limit: { max: 1, strategy: 'reject' },
              now,
              evictedPurgeAfter: at(86400),
            });
            expect(result.created).toBe(!live);
          },
        );
      });
    });
  });
}
