import { Module } from '@nestjs/common';
import { ApplicationsModule } from '../applications/applications.module';
import { AuthModule } from '../auth/auth.module';
import { HashingModule } from '../hashing/hashing.module';
import { OtpModule } from '../otp/otp.module';
import { PasswordHistoryModule } from '../password-history/password-history.module';
import { PolicyModule } from '../policy/policy.module';
import { UsersModule } from '../users/users.module';
import { AdminUserPasswordController } from './admin-user-password.controller';
import { PasswordGrant } from './grants/password.grant';
import { PasswordVerifier } from './password-verifier.service';
import { PasswordWriter } from './password-writer.service';
import { ChangePasswordWithOtpUseCase } from './use-cases/change-password-with-otp.use-case';
import { ChangePasswordUseCase } from './use-cases/change-password.use-case';
import { OtpTargetResolver } from './use-cases/otp-target.resolver';
import { RegisterUserUseCase } from './use-cases/register-user.use-case';
import { ResetPasswordWithOtpUseCase } from './use-cases/reset-password-with-otp.use-case';
import { ResetPasswordUseCase } from './use-cases/reset-password.use-case';
import { SendOneTimeCodeUseCase } from './use-cases/send-one-time-code.use-case';
import { SetPasswordByAdminUseCase } from './use-cases/set-password-by-admin.use-case';
import { SignInWithOtpUseCase } from './use-cases/sign-in-with-otp.use-case';
import { SignInWithPasswordUseCase } from './use-cases/sign-in-with-password.use-case';

const USE_CASES = [
  SignInWithPasswordUseCase,
  SignInWithOtpUseCase,
  ChangePasswordUseCase,
  ChangePasswordWithOtpUseCase,
  SetPasswordByAdminUseCase,
  ResetPasswordUseCase,
  ResetPasswordWithOtpUseCase,
  SendOneTimeCodeUseCase,
  RegisterUserUseCase,
];

/**
 * The password flows that tie users, policy, history, one-time codes and tokens together, one use
 * case per flow; every dialect calls these. The password grant lives here and registers itself
 * into auth's grant registry.
 */
@Module({
  imports: [
    AuthModule,
    ApplicationsModule,
    UsersModule,
    HashingModule,
    PolicyModule,
    PasswordHistoryModule,
    OtpModule,
  ],
  controllers: [AdminUserPasswordController],
  providers: [PasswordVerifier, PasswordWriter, OtpTargetResolver, PasswordGrant, ...USE_CASES],
  exports: USE_CASES,
})
export class CredentialsModule {}
