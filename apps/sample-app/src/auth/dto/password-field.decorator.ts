import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength, MinLength } from 'class-validator';

/**
 * Bounds on a password the user chooses. 128 caps the argon2 input (and the work an attacker can ask
 * for); 8 is the NIST SP 800-63B minimum.
 */
export function NewPasswordField(): PropertyDecorator {
  return applyDecorators(
    ApiProperty({ format: 'password', minLength: 8, maxLength: 128 }),
    IsString(),
    MinLength(8),
    MaxLength(128),
  );
}

/**
 * A password the user claims to have. Only its shape is checked: a short one is simply wrong (401),
 * not malformed; one longer than any password we accept cannot match and is refused before hashing.
 */
export function ExistingPasswordField(): PropertyDecorator {
  return applyDecorators(
    ApiProperty({ format: 'password', minLength: 1, maxLength: 128 }),
    IsString(),
    IsNotEmpty(),
    MaxLength(128),
  );
}
