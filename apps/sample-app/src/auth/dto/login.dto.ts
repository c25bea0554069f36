import { EmailField } from './email-field.decorator';
import { ExistingPasswordField } from './password-field.decorator';

/** Body of POST /auth/login and POST /auth/token. */
export class LoginDto {
  @EmailField()
  email!: string;

  @ExistingPasswordField()
  password!: string;
}
