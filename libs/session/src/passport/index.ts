/**
 * `@nest-session/core/passport`: the session check as a Passport strategy. Needs the optional
 * peers `@nestjs/passport` and `passport`.
 */
export { SessionStrategy } from './session.strategy';
export { SessionPassportGuard } from './session-passport.guard';
