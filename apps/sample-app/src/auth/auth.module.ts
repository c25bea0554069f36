import { Module } from '@nestjs/common';
import { PassportModule } from '@nestjs/passport';
import { AuditModule } from '../audit/audit.module';
import { UsersModule } from '../users/users.module';
import { AuthController } from './auth.controller';
import { DbscController } from './dbsc.controller';
import { AuthService } from './auth.service';
import { LocalAuthGuard } from './local-auth.guard';
import { LocalStrategy } from './local.strategy';
import { LoginThrottle } from './login-throttle.service';
import { PasswordChecks } from './password-checks.service';

@Module({
  imports: [PassportModule, UsersModule, AuditModule],
  controllers: [AuthController, DbscController],
  providers: [AuthService, LocalStrategy, LocalAuthGuard, LoginThrottle, PasswordChecks],
  exports: [PasswordChecks],
})
export class AuthModule {}
