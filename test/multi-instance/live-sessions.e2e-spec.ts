import { Client } from 'pg';
import { io, type Socket } from 'socket.io-client';
import { SOCKET_IO_APPLICATION_NAME } from '../../apps/sample-app/src/live/socket-fan-out';
import { bearer, loginWithToken, registerUser } from '../support/auth-helpers';
import { describeWithPostgres, postgresUrl } from '../support/requires-postgres';
import { sleep } from '../support/wait';
import { useTwoInstances } from './two-instances';

/*
 * A socket open on instance A, its session ended through instance B: A hears it on the
 * invalidation channel (LISTEN/NOTIFY, or Redis pub/sub) — with the validation cache off, the
 * default — and closes the socket within a second. A session event raised on B reaches the
 * user's sockets on A through socket.io's adapter (@socket.io/postgres-adapter, or
 * @socket.io/redis-adapter): B's event bus alone never would.
 */
describeWithPostgres('open sockets across two sample-app processes', () => {
  describe.each(['postgres', 'redis'] as const)('sessions in %s', (store) => {
    const instances = useTwoInstances(store, 'evict-oldest');
    const open: Socket[] = [];

    afterEach(() => {
      for (const socket of open.splice(0)) socket.disconnect();
    });

    async function socketOn(url: string, token: string): Promise<Socket> {
      const socket = io(`${url}/account`, {
        transports: ['websocket'],
        reconnection: false,
        auth: { token },
      });
      open.push(socket);
      await new Promise((resolve, reject) => {
        socket.once('session', resolve);
        socket.once('connect_error', reject);
      });
      return socket;
    }

    function ended(socket: Socket): Promise<{ reason?: string; ms: number }> {
      const started = Date.now();
      return new Promise((resolve) => {
        let reason: string | undefined;
        socket.once('session.ended', (payload: { reason: string }) => (reason = payload.reason));
        socket.once('disconnect', () => resolve({ reason, ms: Date.now() - started }));
      });
    }

    it('a sign-in on B is pushed to the socket open on A as session.event', async () => {
      const { a, b } = instances();
      const user = await registerUser(a);
      const { token } = await loginWithToken(a, user);
      const socket = await socketOn(a.url, token);
      const pushed = new Promise<Record<string, unknown>>((resolve) => {
        socket.on('session.event', (event: Record<string, unknown>) => {
          if (event.type === 'session.created') resolve(event);
        });
      });
      const other = await loginWithToken(b, user);
      const event = await pushed;
      expect(event).toEqual({
        type: 'session.created',
        sessionId: other.sessionId,
        reason: null,
        at: expect.any(String),
      });
      expect(JSON.stringify(event)).not.toContain(other.token);
    });

    async function pushedTo(socket: Socket, sessionId: () => Promise<string>): Promise<void> {
      const seen = new Set<unknown>();
      const listener = (event: { sessionId: unknown }) => seen.add(event.sessionId);
      socket.on('session.event', listener);
      const id = await sessionId();
      const deadline = Date.now() + 5000;
      while (!seen.has(id) && Date.now() < deadline) await sleep(50);
      socket.off('session.event', listener);
      expect(seen).toContain(id);
    }

    if (store === 'postgres') {
      it('the fan-out outlives its database connections being cut, twice, in both directions', async () => {
        const { a, b } = instances();
        const user = await registerUser(a);
        const onA = await socketOn(a.url, (await loginWithToken(a, user)).token);
        const onB = await socketOn(b.url, (await loginWithToken(b, user)).token);
        const admin = new Client({ connectionString: postgresUrl() });
        await admin.connect();
        try {
          for (let cut = 0; cut < 2; cut++) {
            await admin.query(
              'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1',
              [SOCKET_IO_APPLICATION_NAME],
            );
            // The adapter reconnects its listening client after 1 to 3 s.
            await sleep(3500);
          }
        } finally {
          await admin.end();
        }
        await pushedTo(onA, async () => (await loginWithToken(b, user)).sessionId);
        await pushedTo(onB, async () => (await loginWithToken(a, user)).sessionId);
      }, 30_000);
    }

    it('a logout on B closes the socket open on A within 1 s, with the reason', async () => {
      const { a, b } = instances();
      const user = await registerUser(a);
      const { token } = await loginWithToken(a, user);
      const socket = await socketOn(a.url, token);
      const closing = ended(socket);
      await b.http().post('/auth/logout').set('Authorization', bearer(token)).expect(204);
      const { reason, ms } = await closing;
      expect(reason).toBe('logout');
      expect(ms).toBeLessThan(1000);
    });

    it('a revocation from another device on B closes the socket on A within 1 s', async () => {
      const { a, b } = instances();
      const user = await registerUser(a);
      const watched = await loginWithToken(a, user);
      const other = await loginWithToken(b, user);
      const socket = await socketOn(a.url, watched.token);
      const closing = ended(socket);
      await b
        .http()
        .delete(`/sessions/${watched.sessionId}`)
        .set('Authorization', bearer(other.token))
        .expect(204);
      const { reason, ms } = await closing;
      expect(reason).toBe('user');
      expect(ms).toBeLessThan(1000);
    });
  });
});
