import { EmailField } from './email-field.decorator';
import { NewPasswordField } from './password-field.decorator';

export class RegisterDto {
  @EmailField()
  email!: string;

  @NewPasswordField()
  password!: string;
}
