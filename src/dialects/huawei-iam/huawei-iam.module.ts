import { Module } from '@nestjs/common';
import { AuthModule } from '../../auth/auth.module';
import { CredentialsModule } from '../../credentials/credentials.module';
import { PolicyModule } from '../../policy/policy.module';
import { UsersModule } from '../../users/users.module';
import { HuaweiIamController } from './huawei-iam.controller';

/** Huawei Cloud IAM: Keystone password tokens and the password change of seed 003. */
@Module({
  imports: [AuthModule, CredentialsModule, UsersModule, PolicyModule],
  controllers: [HuaweiIamController],
})
export class HuaweiIamModule {}
