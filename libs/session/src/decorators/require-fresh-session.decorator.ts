import { applyDecorators, SetMetadata, UseGuards } from '@nestjs/common';
import { FreshSessionGuard } from '../guards/fresh-session.guard';
import { REQUIRE_FRESH_SESSION_KEY } from '../session.constants';

/**
 * Sensitive actions (password change, revoking other sessions, deleting the account) need a
 * session whose user authenticated within `seconds` — default: the `reauthWindow` option.
 * Otherwise 403 `reauth_required`; the client re-authenticates and retries.
 *
 * @example @RequireFreshSession(300) @Post('password') changePassword() {}
 * @publicApi
 */
export const RequireFreshSession = (seconds?: number): MethodDecorator & ClassDecorator =>
  applyDecorators(
    SetMetadata(REQUIRE_FRESH_SESSION_KEY, seconds ?? null),
    UseGuards(FreshSessionGuard),
  );
