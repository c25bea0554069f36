import { io, type Socket } from 'socket.io-client';
import { bearer, loginWithToken, registerUser } from '../support/auth-helpers';
import { describeWithPostgres } from '../support/requires-postgres';
import { useTwoInstances } from './two-instances';

/*
 * A socket open on instance A, its session ended through instance B: A hears it on the
 * invalidation channel (LISTEN/NOTIFY, or Redis pub/sub) — with the validation cache off, the
 * default — and closes the socket within a second.
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
