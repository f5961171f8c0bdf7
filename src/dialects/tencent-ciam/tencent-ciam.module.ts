import { Module } from '@nestjs/common';
import { ApplicationsModule } from '../../applications/applications.module';
import { AuthModule } from '../../auth/auth.module';
import { CredentialsModule } from '../../credentials/credentials.module';
import { TencentCiamController } from './tencent-ciam.controller';
import { TencentOtpGrant } from './tencent-otp.grant';

/** Tencent Cloud CIAM: Modify/Reset User Password, Send OTP, and the OTP sign-in grants. */
@Module({
  imports: [AuthModule, CredentialsModule, ApplicationsModule],
  controllers: [TencentCiamController],
  providers: [TencentOtpGrant],
})
export class TencentCiamModule {}
