import { Module } from '@nestjs/common';
import { AuthModule } from '../../auth/auth.module';
import { CredentialsModule } from '../../credentials/credentials.module';
import { PolicyModule } from '../../policy/policy.module';
import { UsersModule } from '../../users/users.module';
import { HuaweiIamController } from './huawei-iam.controller';
import { HuaweiSecurityPolicyController } from './huawei-security-policy.controller';

/** Huawei Cloud IAM: Keystone password tokens, seed 003's password change, and the account security policies. */
@Module({
  imports: [AuthModule, CredentialsModule, UsersModule, PolicyModule],
  controllers: [HuaweiIamController, HuaweiSecurityPolicyController],
})
export class HuaweiIamModule {}
