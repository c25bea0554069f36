import { type ArgumentsHost, Catch, type ExceptionFilter, Logger } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { graphQLErrorOf } from '../graphql/graphql-errors';
import { toApiError } from './to-api-error';

/**
 * Global catch-all filter: every error leaves as `{ statusCode, error, message }`. Registered in
 * configureApp so it also sees body-parser and routing errors, which happen before any controller.
 * In GraphQL resolvers it returns the same error as a GraphQL error instead.
 */
@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpExceptionFilter');

  constructor(private readonly adapterHost: HttpAdapterHost) {}

  catch(exception: unknown, host: ArgumentsHost): unknown {
    // A resolver's error goes back to GraphQL, which puts it in the response's `errors`.
    if (host.getType<string>() === 'graphql') return graphQLErrorOf(exception);
    const { body, serverFault } = toApiError(exception);
    if (body.statusCode === 503) {
      // An outage, not a bug: one line, no stack (there may be thousands while it lasts).
      const reason = exception instanceof Error ? exception.message : String(exception);
      this.logger.warn(`Backing service unavailable: ${reason}`);
    } else if (serverFault) {
      // The client gets a generic message; the details stay in the server log.
      const stack = exception instanceof Error ? exception.stack : String(exception);
      this.logger.error('Unhandled error while serving a request', stack);
    }
    const { httpAdapter } = this.adapterHost;
    const response: unknown = host.switchToHttp().getResponse();
    if (httpAdapter.isHeadersSent(response)) {
      // Too late to send an error body; ending the response is all that is left.
      httpAdapter.end(response);
      return;
    }
    const retryAfter = retryAfterOf(exception);
    if (retryAfter !== undefined)
      httpAdapter.setHeader(response, 'Retry-After', String(retryAfter));
    httpAdapter.reply(response, body, body.statusCode);
  }
}

/** Seconds a refused client should wait (429s carry them), for the Retry-After header. */
function retryAfterOf(exception: unknown): number | undefined {
  const value = (exception as { retryAfterSeconds?: unknown } | null)?.retryAfterSeconds;
  return typeof value === 'number' && Number.isFinite(value)
    ? Math.max(1, Math.ceil(value))
    : undefined;
}
