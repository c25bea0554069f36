import { SetMetadata } from '@nestjs/common';
import { IS_PUBLIC_KEY } from '../session.constants';

/**
 * Lets a route or controller through a global `SessionGuard` without a session.
 *
 * @publicApi
 * @example \@Public() \@Get('health') check() {}
 */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC_KEY, true);
