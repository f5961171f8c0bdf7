import { Module } from '@nestjs/common';
import { HashingModule } from '../hashing/hashing.module';
import { OtpModule } from '../otp/otp.module';
import { PasswordHistoryModule } from '../password-history/password-history.module';
import { PolicyModule } from '../policy/policy.module';
import { UsersModule } from '../users/users.module';
import { AdminUserPasswordController } from './admin-user-password.controller';
import { CredentialsService } from './credentials.service';
import { OtpTargetResolver } from './use-cases/otp-target.resolver';
import { ResetPasswordWithOtpUseCase } from './use-cases/reset-password-with-otp.use-case';
import { SendOneTimeCodeUseCase } from './use-cases/send-one-time-code.use-case';
import { SignInWithOtpUseCase } from './use-cases/sign-in-with-otp.use-case';

/** The password flows that tie users, policy, history, one-time codes and hashing together. */
@Module({
  imports: [UsersModule, HashingModule, PolicyModule, PasswordHistoryModule, OtpModule],
  controllers: [AdminUserPasswordController],
  providers: [
    CredentialsService,
    OtpTargetResolver,
    ResetPasswordWithOtpUseCase,
    SendOneTimeCodeUseCase,
    SignInWithOtpUseCase,
  ],
  exports: [
    CredentialsService,
    ResetPasswordWithOtpUseCase,
    SendOneTimeCodeUseCase,
    SignInWithOtpUseCase,
  ],
})
export class CredentialsModule {}
