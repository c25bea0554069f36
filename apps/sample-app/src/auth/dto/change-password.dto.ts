import { ExistingPasswordField, NewPasswordField } from './password-field.decorator';

export class ChangePasswordDto {
  @ExistingPasswordField()
  currentPassword!: string;

  @NewPasswordField()
  newPassword!: string;
}
