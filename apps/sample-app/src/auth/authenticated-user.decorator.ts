import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import type { UserView } from '../users/users.service';

function isUserView(value: unknown): value is UserView {
  return (
    typeof value === 'object' &&
    value !== null &&
    'id' in value &&
    typeof value.id === 'string' &&
    'email' in value &&
    typeof value.email === 'string'
  );
}

/** The user passport-local authenticated for this request (only behind LocalAuthGuard). */
export const AuthenticatedUser = createParamDecorator((_: unknown, context: ExecutionContext) => {
  const user: unknown = context.switchToHttp().getRequest<Request>().user;
  if (!isUserView(user)) {
    throw new Error('AuthenticatedUser used on a route without LocalAuthGuard');
  }
  return user;
});
