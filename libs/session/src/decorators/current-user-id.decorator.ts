import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { currentSessionFactory } from './current-session.decorator';

/** The id of the user the validated session belongs to. */
export function currentUserIdFactory(data: unknown, context: ExecutionContext): string | undefined {
  return currentSessionFactory(data, context)?.userId;
}

/** @example profile(@CurrentUserId() userId: string) */
export const CurrentUserId = createParamDecorator(currentUserIdFactory);
