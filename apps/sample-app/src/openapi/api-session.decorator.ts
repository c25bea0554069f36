import { applyDecorators } from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth, ApiHeader } from '@nestjs/swagger';
import { ApiErrors } from './api-errors.decorator';

/** Names of the two security schemes in the document (see createOpenApiDocument). */
export const COOKIE_AUTH = 'session-cookie';
export const BEARER_AUTH = 'session-token';
export const METRICS_AUTH = 'metrics-token';

/**
 * A route behind the SessionGuard: the session cookie or a bearer token (either one), 401 without
 * a live session, 503 when the session store is down.
 */
export function ApiSession(): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ApiCookieAuth(COOKIE_AUTH),
    ApiBearerAuth(BEARER_AUTH),
    ApiErrors(401, 503),
  );
}

/**
 * An unsafe (POST/PUT/PATCH/DELETE) session route: a cookie-authenticated call must send the
 * session's CSRF token, else 403 csrf_failed.
 */
export function ApiCsrf(): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ApiHeader({
      name: 'X-CSRF-Token',
      required: false,
      description:
        "The session's csrfToken (from login, reauth or GET /auth/csrf). Required when the request is authenticated by the cookie; bearer requests are exempt.",
    }),
    ApiErrors(403),
  );
}
