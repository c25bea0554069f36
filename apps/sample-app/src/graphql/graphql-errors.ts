import { Logger } from '@nestjs/common';
import { type GraphQLFormattedError, GraphQLError } from 'graphql';
import { SessionGraphQLCodes } from '@app/session/graphql';
import { toApiError } from '../common/to-api-error';

const logger = new Logger('GraphQL');

/**
 * Anything a resolver (or a guard or pipe before it) threw, as a GraphQL error whose
 * `extensions.code` is the REST code in upper case (`NOT_FOUND`), or the session library's
 * (`UNAUTHENTICATED`, `CSRF_FAILED`, `REAUTH_REQUIRED`). The message is the REST message, so a
 * server fault says "Internal server error." and its stack stays in the log.
 */
export function graphQLErrorOf(exception: unknown): GraphQLError {
  if (exception instanceof GraphQLError) return exception;
  const { body, serverFault } = toApiError(exception);
  if (serverFault) {
    const stack = exception instanceof Error ? exception.stack : String(exception);
    logger.error('Unhandled error while resolving a GraphQL operation', stack);
  }
  const code =
    (SessionGraphQLCodes as Readonly<Record<string, string>>)[body.error] ??
    (body.statusCode >= 500 && body.statusCode !== 503
      ? 'INTERNAL_SERVER_ERROR'
      : body.error.toUpperCase());
  return new GraphQLError(body.message, { extensions: { code, error: body.error } });
}

/**
 * What leaves the server of any GraphQL error: message, locations, path and `extensions.code`
 * (with the REST `error` beside it) — never a stack trace, whatever Apollo's own settings.
 */
export function formatGraphQLError(formatted: GraphQLFormattedError): GraphQLFormattedError {
  const { code, error } = formatted.extensions ?? {};
  return {
    message: formatted.message,
    ...(formatted.locations && { locations: formatted.locations }),
    ...(formatted.path && { path: formatted.path }),
    extensions: { code: code ?? 'INTERNAL_SERVER_ERROR', ...(error !== undefined && { error }) },
  };
}
