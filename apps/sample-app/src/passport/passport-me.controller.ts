import { Controller, UseGuards } from '@nestjs/common';
import { Public } from '@app/session';
import { SessionPassportGuard } from '@app/session/passport';
import { MeController } from '../me/me.controller';

/**
 * `GET /passport/me`: the same answer as `GET /me`, with the session checked by passport — the
 * library's SessionStrategy behind `SessionPassportGuard`, its `AuthGuard('session')` that also
 * hands the strategy Fastify's reply — instead of the global SessionGuard.
 * `@Public()` only turns the global guard off here; the strategy applies the very same checks.
 */
@Public()
@UseGuards(SessionPassportGuard)
// No @ApiTags: MeController's 'session' is inherited (a second one would list the tag twice).
@Controller('passport/me')
export class PassportMeController extends MeController {}
