import { Controller, UseGuards } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import { ApiTags } from '@nestjs/swagger';
import { Public } from '@app/session';
import { MeController } from '../me/me.controller';

/**
 * `GET /passport/me`: the same answer as `GET /me`, with the session checked by passport's
 * `AuthGuard('session')` (the library's SessionStrategy) instead of the global SessionGuard.
 * `@Public()` only turns the global guard off here; the strategy applies the very same checks.
 */
@Public()
@UseGuards(AuthGuard('session'))
@ApiTags('session')
@Controller('passport/me')
export class PassportMeController extends MeController {}
