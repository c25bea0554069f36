/** The response headers the document declares, each described once. */
interface HeaderObject {
  description: string;
  schema: { type: 'string'; example?: string };
}

export const NO_STORE_HEADER: HeaderObject = {
  description: '`no-store`: the answer is per user (with `Vary: Cookie, Authorization`).',
  schema: { type: 'string', example: 'no-store' },
};

export const SESSION_COOKIE_HEADER: HeaderObject = {
  description:
    'The session cookie (`__Host-sid`, or `sid` with COOKIE_SECURE=false): HttpOnly, Secure, SameSite=Lax, Path=/, until the idle expiry.',
  schema: {
    type: 'string',
    example: '__Host-sid=…; Max-Age=1800; Path=/; HttpOnly; Secure; SameSite=Lax',
  },
};

export const ROTATED_COOKIE_HEADER: HeaderObject = {
  description:
    'A new session cookie when the session was due for rotation (SESSION_ROTATION_INTERVAL_SECONDS); the old token stays valid for the grace period.',
  schema: { type: 'string' },
};

export const CLEARED_COOKIE_HEADER: HeaderObject = {
  description: 'The session cookie, expired: the browser drops it.',
  schema: {
    type: 'string',
    example: '__Host-sid=; Max-Age=0; Path=/; HttpOnly; Secure; SameSite=Lax',
  },
};
