import type { INestApplicationContext } from '@nestjs/common';
import type { ResolvedSessionOptions } from '../options/resolved-session-options.interface';
import { SESSION_RESOLVED_OPTIONS } from '../session.constants';
import type { Session, SessionContext } from '../session.interface';
import { SessionService } from '../session.service';

/** A real session of a running app, and the headers that present it. */
export interface TestSignIn {
  session: Session;
  token: string;
  /** `Cookie` and CSRF headers, as a browser signed in with the cookie sends them. */
  cookieHeaders: { cookie: string } & Record<string, string>;
  /** The `Authorization` header of an API client signed in with a bearer token. */
  bearerHeaders: { authorization: string };
}

/**
 * Signs `userId` in to a running app, for your own end-to-end tests: creates a real session
 * through the app's `SessionService` (the same limits, events and store as a login) and returns
 * the headers that present it, without going through your login route.
 *
 * Pass the `context` your test client shows the app (its ip as the app sees it, its user agent),
 * or anomaly detection compares the requests with an unknown client and reports `ip_changed`.
 *
 * @publicApi
 * @example
 * const { cookieHeaders } = await signInAs(app, user.id, { ip: '::ffff:127.0.0.1' });
 * await request(app.getHttpServer()).post('/orders').set(cookieHeaders).send(order).expect(201);
 */
export async function signInAs(
  app: INestApplicationContext,
  userId: string,
  context: SessionContext = {},
  data?: Record<string, unknown>,
): Promise<TestSignIn> {
  const sessions = app.get(SessionService, { strict: false });
  const options = app.get<ResolvedSessionOptions>(SESSION_RESOLVED_OPTIONS, { strict: false });
  const { session, token } = await sessions.create(userId, context, data);
  return {
    session,
    token,
    cookieHeaders: {
      cookie: `${options.cookie.name}=${token}`,
      [options.csrf.headerName]: session.csrfToken,
    },
    bearerHeaders: { authorization: `Bearer ${token}` },
  };
}
