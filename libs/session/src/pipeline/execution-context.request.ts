import type { ExecutionContext } from '@nestjs/common';
import type { Request, Response } from 'express';

/**
 * The HTTP request behind an execution context: plain HTTP, or the `req` that GraphQL puts in
 * its context (third resolver argument) — without importing @nestjs/graphql.
 */
export function getRequest(context: ExecutionContext): Request {
  if (context.getType<string>() === 'graphql') {
    return context.getArgByIndex<{ req: Request }>(2).req;
  }
  return context.switchToHttp().getRequest<Request>();
}

export function getResponse(context: ExecutionContext): Response | undefined {
  if (context.getType<string>() === 'graphql') {
    return context.getArgByIndex<{ res?: Response }>(2).res ?? getRequest(context).res;
  }
  return context.switchToHttp().getResponse<Response>();
}
