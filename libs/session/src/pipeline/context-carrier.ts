import type { ExecutionContext } from '@nestjs/common';
import {
  attachAuthentication,
  type RequestAuthentication,
  requestAuthentication,
} from './session-request';

/**
 * The object of an execution context that guards and decorators agree to attach the session to:
 * the request of HTTP and GraphQL, the first handler argument (the client) of other transports.
 * A guard whose `getRequest()` reads the request from elsewhere links it here too, so
 * `@CurrentSession()` and `FreshSessionGuard` never need that override.
 */
export function carrierOf(context: ExecutionContext): object {
  if (context.getType<string>() === 'graphql') {
    const gql = context.getArgByIndex<{ req?: object } | undefined>(2);
    return gql?.req ?? gql ?? MISSING;
  }
  return context.getArgByIndex<object | undefined>(0) ?? MISSING;
}

/** What a guard attached for this context; null on a public route; undefined when none ran. */
export function authenticationOf(
  context: ExecutionContext,
): RequestAuthentication | null | undefined {
  return requestAuthentication(carrierOf(context));
}

/** Attaches an authentication to a context's carrier as well (see `carrierOf`). */
export function linkCarrier(carrier: object, authentication: RequestAuthentication): void {
  attachAuthentication(carrier, authentication);
}

/** Stands for "no argument": nothing is ever attached to it. */
const MISSING: object = Object.freeze({});
