import type { IncomingMessage, ServerResponse } from 'node:http';
import type { INestApplication } from '@nestjs/common';
import helmet from 'helmet';

/**
 * The account page's Content-Security-Policy: scripts, styles and fetches from this origin only —
 * no inline script or style, so an injected `<script>` or `onclick=` does nothing — and no framing
 * (clickjacking), no foreign form targets, no `<base>` rewrites.
 */
export const CONTENT_SECURITY_POLICY = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", 'data:'],
  connectSrc: ["'self'"],
  objectSrc: ["'none'"],
  frameAncestors: ["'none'"],
  formAction: ["'self'"],
  baseUri: ["'none'"],
};

/**
 * helmet's usual headers (nosniff, frame and referrer policies, COOP/CORP, HSTS…) on every response,
 * the JSON API's included: they cost a JSON client nothing and close the page's classic holes.
 * helmet's default CSP is replaced, not extended: its `upgrade-insecure-requests` would break the
 * page on plain-http development hosts such as http://127.0.0.1.
 */
export function useSecurityHeaders(app: INestApplication): void {
  const strict = securityHeaders(CONTENT_SECURITY_POLICY);
  const docs = securityHeaders(DOCS_CONTENT_SECURITY_POLICY);
  // Node's own request and response: what Express hands a middleware, and what Fastify does
  // through Nest's middie, so one middleware serves both platforms.
  app.use((request: IncomingMessage, response: ServerResponse, next: (error?: unknown) => void) =>
    (isDocsPath(request.url ?? '/') ? docs : strict)(request, response, next),
  );
}

/**
 * Swagger UI at /docs loads all its scripts from files under /docs, so `script-src 'self'` stays.
 * Its page does carry inline styles (a `<style>` block and a `style=` attribute hiding its SVG
 * icon sprite) that @nestjs/swagger writes into the HTML with no nonce or hash option, and that
 * `style-src 'self'` would block. So /docs alone also allows inline styles — a far smaller risk than
 * inline script (CSS cannot run code), on a page that handles no session data of its own.
 */
export const DOCS_CONTENT_SECURITY_POLICY = {
  ...CONTENT_SECURITY_POLICY,
  styleSrc: ["'self'", "'unsafe-inline'"],
};

function isDocsPath(url: string): boolean {
  const path = url.split('?', 1)[0];
  return path === '/docs' || path.startsWith('/docs/');
}

function securityHeaders(directives: typeof CONTENT_SECURITY_POLICY) {
  return helmet({
    contentSecurityPolicy: { useDefaults: false, directives },
    // The API never shares its responses with other origins; the page needs none of theirs.
    crossOriginResourcePolicy: { policy: 'same-origin' },
    referrerPolicy: { policy: 'no-referrer' },
    // Matches frame-ancestors 'none' for browsers that only know X-Frame-Options.
    frameguard: { action: 'deny' },
  });
}
