import type { SessionRequest } from './session-request';

/**
 * The app's own origin as this request reached it. Protocol and host come from the platform,
 * which reads X-Forwarded-Proto / X-Forwarded-Host only from a proxy the app trusts (Express'
 * `trust proxy`, Fastify's `trustProxy`): behind a TLS-terminating proxy, trust it.
 */
export function requestOrigin(request: SessionRequest): string {
  const host = request.host ?? request.headers.host;
  return `${request.protocol ?? 'http'}://${typeof host === 'string' ? host : ''}`.toLowerCase();
}

/**
 * The URL the client addressed, without query or fragment (what a DPoP proof's `htu` names).
 * `originalUrl` first: Express rewrites `url` inside mounted routers.
 */
export function requestUrlWithoutQuery(request: SessionRequest): string {
  const target = request.originalUrl ?? request.url ?? '/';
  const query = target.indexOf('?');
  return requestOrigin(request) + (query === -1 ? target : target.slice(0, query));
}
