import type { OpenAPIObject } from '@nestjs/swagger';
import { COOKIE_AUTH } from './api-session.decorator';
import { NO_STORE_HEADER, ROTATED_COOKIE_HEADER } from './response-headers';

type OperationObject = NonNullable<OpenAPIObject['paths'][string]['get']>;

/**
 * The headers the session guard adds to every answer of a session route, declared once here
 * rather than on each route (the guard, not the route, sends them): `Cache-Control: no-store` on
 * every success, and on safe (GET) routes the `Set-Cookie` of a rotation. Routes that set the
 * cookie themselves (login, logout, password change, re-authentication) declare their own.
 */
export function declareSessionResponseHeaders(document: OpenAPIObject): void {
  for (const path of Object.values(document.paths)) {
    for (const [method, operation] of Object.entries(path) as Array<[string, OperationObject]>) {
      const bySession = operation.security?.some((scheme) => COOKIE_AUTH in scheme) ?? false;
      if (!bySession) continue;
      for (const [status, response] of Object.entries(operation.responses)) {
        // A $ref response is a shared one: left as it is.
        if (!status.startsWith('2') || response === undefined || '$ref' in response) continue;
        response.headers = {
          'Cache-Control': NO_STORE_HEADER,
          ...(method === 'get' ? { 'Set-Cookie': ROTATED_COOKIE_HEADER } : {}),
          ...response.headers,
        };
      }
    }
  }
}
