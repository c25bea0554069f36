import { type ExecutionContext, Injectable } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import type { Request } from 'express';
import { isObservable, lastValueFrom } from 'rxjs';
import { createValidationPipe } from '../common/validation';
import { LoginDto } from './dto/login.dto';
import { InvalidCredentialsException } from './invalid-credentials.exception';
import { markSignInStart } from './sign-in-start';

/**
 * Runs the passport-local strategy for login and token. Guards run before pipes, so the body is
 * validated here first: a malformed body is a 400 `validation_failed` (not a vague 401), and passport
 * then reads the normalized email. Every credential failure becomes 401 `invalid_credentials`.
 */
@Injectable()
export class LocalAuthGuard extends AuthGuard('local') {
  private readonly validation = createValidationPipe();

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<Request>();
    markSignInStart(request);
    const body: unknown = request.body ?? {};
    request.body = await this.validation.transform(body, { type: 'body', metatype: LoginDto });
    const allowed = super.canActivate(context);
    return isObservable(allowed) ? lastValueFrom(allowed) : allowed;
  }

  override handleRequest<TUser>(error: unknown, user: TUser | false | null): TUser {
    // A thrown error (the database is down, say) is not a credential failure: let it surface as 500.
    if (error instanceof Error) throw error;
    if (error) throw new Error('Authentication failed', { cause: error });
    if (!user) throw new InvalidCredentialsException();
    return user;
  }
}
