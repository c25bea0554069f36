import {
  type ArgumentMetadata,
  HttpStatus,
  ValidationPipe,
  type ValidationError,
} from '@nestjs/common';
import { ApiException } from './api-error';
import { isNestedDeeperThan } from './nesting-depth';
import { isWellFormedText } from './well-formed-text';

function collectMessages(errors: ValidationError[], prefix = ''): string[] {
  return errors.flatMap((error) => {
    const path = `${prefix}${error.property}`;
    const own = Object.values(error.constraints ?? {});
    return [...own, ...collectMessages(error.children ?? [], `${path}.`)];
  });
}

/** Deepest nesting of objects and arrays a request value may have. */
const MAX_DEPTH = 16;

function validationFailed(message: string): ApiException {
  return new ApiException(HttpStatus.BAD_REQUEST, 'validation_failed', message);
}

/**
 * The app's one ValidationPipe: unknown fields are rejected (not silently dropped), malformed text is
 * refused before any validator sees it, and every failure is a 400 `validation_failed` whose message
 * joins all constraint messages into one string.
 */
export class AppValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    // class-transformer recurses once per level: `[[[[…]]]]` 5,000 deep (10 kB, under the body
    // limit) overflows the stack and would answer 500. No DTO of the app nests this deep.
    if (isNestedDeeperThan(value, MAX_DEPTH)) {
      throw validationFailed('The request body is nested too deeply.');
    }
    if (!isWellFormedText(value)) {
      throw validationFailed('The request contains malformed text (an unpaired surrogate).');
    }
    return super.transform(value, metadata) as Promise<unknown>;
  }
}

/** Used globally and by LocalAuthGuard, which must validate the body before passport reads it. */
export function createValidationPipe(): AppValidationPipe {
  return new AppValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    // Messages only; echoing the rejected values back (a password, say) is never useful.
    validationError: { target: false, value: false },
    exceptionFactory: (errors) =>
      validationFailed(collectMessages(errors).join('; ') || 'The request body is invalid.'),
  });
}
