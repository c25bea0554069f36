import type { Session } from '@app/session';
import type { UserView } from './users.service';

/**
 * What a session keeps of its user, so that `GET /me` and every other guarded request need no read
 * of the users table: the session row (or cache entry) already holds it. The copy cannot go stale:
 * an account's email never changes, and deleting the account revokes every one of its sessions.
 */
export function sessionDataOf(user: UserView): Record<string, unknown> {
  return { email: user.email };
}

/** The user a session keeps; null for a session created before sessions kept it. */
export function userKeptBy(session: Session): UserView | null {
  const { email } = session.data;
  return typeof email === 'string' ? { id: session.userId, email } : null;
}
