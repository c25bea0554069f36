/**
 * Stable, machine-readable codes of the errors the module answers with, and their messages.
 *
 * @publicApi
 */
export const SessionErrorCodes = {
  unauthorized: 'Authentication required.',
  session_expired: 'The session has expired; sign in again.',
  csrf_failed: 'Missing or invalid CSRF token.',
  reauth_required: 'This action needs a recent sign-in; re-authenticate and retry.',
  session_limit_reached: 'Too many active sessions for this account.',
  session_store_unavailable: 'Session storage is temporarily unavailable.',
  invalid_dpop_proof: 'This token needs a valid DPoP proof by its key for this request.',
  use_dpop_nonce: 'Sign the DPoP proof again with the nonce in the DPoP-Nonce header.',
  device_proof_failed: 'The device-bound session could not be verified.',
} as const;

export type SessionErrorCode = keyof typeof SessionErrorCodes;
