import { GraphQLError } from 'graphql';
import type { SessionErrorCode } from '../errors/session-error.codes';
import { sessionErrorParts } from '../errors/session-error.parts';

/**
 * `extensions.code` of each session refusal in GraphQL, in the upper-case style of Apollo's own
 * codes (`UNAUTHENTICATED` is Apollo's).
 *
 * @publicApi
 */
export const SessionGraphQLCodes = {
  unauthorized: 'UNAUTHENTICATED',
  session_expired: 'UNAUTHENTICATED',
  csrf_failed: 'CSRF_FAILED',
  reauth_required: 'REAUTH_REQUIRED',
  session_limit_reached: 'SESSION_LIMIT_REACHED',
  session_store_unavailable: 'SERVICE_UNAVAILABLE',
  invalid_dpop_proof: 'UNAUTHENTICATED',
  use_dpop_nonce: 'UNAUTHENTICATED',
  device_proof_failed: 'FORBIDDEN',
} as const satisfies Record<SessionErrorCode, string>;

/**
 * A session refusal as a GraphQL error: `extensions.code` from `SessionGraphQLCodes`,
 * `extensions.error` the REST code (`session_expired`, …). Other errors pass unchanged.
 *
 * @publicApi
 */
export function toGraphQLError(error: unknown): unknown {
  const parts = sessionErrorParts(error);
  if (!parts) return error;
  return new GraphQLError(parts.message, {
    extensions: { code: SessionGraphQLCodes[parts.code], error: parts.code },
  });
}
