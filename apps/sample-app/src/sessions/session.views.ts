import type { Session } from '@app/session';

/**
 * The shapes of a session in responses (part of the HTTP contract). Built field by field so that a
 * new field on Session (data, csrfToken…) never leaks into a response by accident.
 */
export interface SessionSummaryView {
  id: string;
  createdAt: Date;
  expiresAt: Date;
  absoluteExpiresAt: Date;
}

export interface SessionDetailView extends SessionSummaryView {
  lastSeenAt: Date;
}

/** Where a session signed in from; each field null when unknown (or a private address). */
export interface SessionLocationView {
  country: string | null;
  city: string | null;
}

export interface SessionListItemView {
  id: string;
  createdAt: Date;
  lastSeenAt: Date;
  ip: string | null;
  userAgent: string | null;
  /** True for the session that made this request. */
  current: boolean;
  location: SessionLocationView;
  /** Bound to a key its browser keeps (DBSC): a copy of its cookie dies within minutes. */
  deviceBound: boolean;
}

export function toSessionSummary(session: Session): SessionSummaryView {
  return {
    id: session.id,
    createdAt: session.createdAt,
    expiresAt: session.expiresAt,
    absoluteExpiresAt: session.absoluteExpiresAt,
  };
}

export function toSessionDetail(session: Session): SessionDetailView {
  return {
    id: session.id,
    createdAt: session.createdAt,
    lastSeenAt: session.lastSeenAt,
    expiresAt: session.expiresAt,
    absoluteExpiresAt: session.absoluteExpiresAt,
  };
}

export function toSessionListItem(
  session: Session,
  currentId: string,
  location: { country: string | null; city?: string | null } | null,
): SessionListItemView {
  return {
    id: session.id,
    createdAt: session.createdAt,
    lastSeenAt: session.lastSeenAt,
    ip: session.ip,
    userAgent: session.userAgent,
    current: session.id === currentId,
    location: { country: location?.country ?? null, city: location?.city ?? null },
    deviceBound: session.boundKey?.startsWith('dbsc:') === true,
  };
}
