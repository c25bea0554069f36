import { Injectable } from '@nestjs/common';
import { type Session, SessionService } from '@app/session';
import { SessionNotFoundException } from './session-not-found.exception';
import { IpLocator } from '../geo/ip-locator';
import { type ClientHints, clientHintsKeptBy } from './client-hints';
import { type SessionListItemView, toSessionListItem } from './session.views';

export interface SessionListItemWithHints extends SessionListItemView {
  clientHints: ClientHints | null;
}

/** "Your devices": what a signed-in user may see and end of their own sessions. */
@Injectable()
export class UserSessionsService {
  constructor(
    private readonly sessions: SessionService,
    private readonly locator: IpLocator,
  ) {}

  /** The caller's live sessions, each with where it signed in from. */
  async list(current: Session): Promise<SessionListItemView[]> {
    const active = await this.sessions.listActive(current.userId);
    return Promise.all(
      active.map(async (session) =>
        toSessionListItem(session, current.id, await this.locator.locate(session.ip)),
      ),
    );
  }

  /** As `list`, each item with the Client Hints its session kept (for the device names). */
  async listWithHints(current: Session): Promise<SessionListItemWithHints[]> {
    const active = await this.sessions.listActive(current.userId);
    return Promise.all(
      active.map(async (session) => ({
        ...toSessionListItem(session, current.id, await this.locator.locate(session.ip)),
        clientHints: clientHintsKeptBy(session),
      })),
    );
  }

  /** Revokes one of the caller's live sessions; 404 when it is not theirs or not live. */
  async revokeOwn(current: Session, sessionId: string): Promise<void> {
    const target = await this.sessions.findById(sessionId);
    if (target === null || target.userId !== current.userId) throw new SessionNotFoundException();
    // revoke() is conditional on the session being live, so a concurrent end still reads as 404.
    if (!(await this.sessions.revoke(sessionId, 'user'))) throw new SessionNotFoundException();
  }

  /** Revokes every other live session of the caller; returns how many ended. */
  revokeOthers(current: Session): Promise<number> {
    return this.sessions.revokeAllForUser(current.userId, {
      exceptSessionId: current.id,
      reason: 'user',
    });
  }
}
