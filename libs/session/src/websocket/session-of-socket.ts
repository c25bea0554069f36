import { getRequestSession } from '../pipeline/session-request';
import type { Session } from '../session.interface';

/**
 * The session `SessionSockets.middleware()` admitted this socket with. Throws when the
 * middleware did not run for its namespace — a wiring mistake, not a signed-out user.
 *
 * @publicApi
 */
export function sessionOfSocket(socket: object): Session {
  const session = getRequestSession(socket);
  if (!session) {
    throw new Error(
      'This socket has no session: register SessionSockets.middleware() on its namespace ' +
        '(namespace.use(…) in afterInit) so every handshake is authenticated.',
    );
  }
  return session;
}
