import { ExistingPasswordField } from './password-field.decorator';

/** Body of POST /auth/reauth and DELETE /account: the caller proves they know the password. */
export class PasswordConfirmationDto {
  @ExistingPasswordField()
  password!: string;
}
