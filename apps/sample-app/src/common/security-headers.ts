import type { NestExpressApplication } from '@nestjs/platform-express';
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
export function useSecurityHeaders(app: NestExpressApplication): void {
  app.use(
    helmet({
      contentSecurityPolicy: { useDefaults: false, directives: CONTENT_SECURITY_POLICY },
      // The API never shares its responses with other origins; the page needs none of theirs.
      crossOriginResourcePolicy: { policy: 'same-origin' },
      referrerPolicy: { policy: 'no-referrer' },
      // Matches frame-ancestors 'none' for browsers that only know X-Frame-Options.
      frameguard: { action: 'deny' },
    }),
  );
}
