import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ApplicationsModule } from '../applications/applications.module';
import { AdminPasswordPolicyController } from './admin-password-policy.controller';
import { PasswordPolicyRecord } from './password-policy-record.entity';
import { PasswordPolicyService } from './password-policy.service';

@Module({
  imports: [TypeOrmModule.forFeature([PasswordPolicyRecord]), ApplicationsModule],
  controllers: [AdminPasswordPolicyController],
  providers: [PasswordPolicyService],
  exports: [PasswordPolicyService],
})
export class PolicyModule {}
