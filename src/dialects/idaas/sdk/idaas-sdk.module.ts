import { Module } from '@nestjs/common';
import { ApplicationsModule } from '../../../applications/applications.module';
import { AuthModule } from '../../../auth/auth.module';
import { CredentialsModule } from '../../../credentials/credentials.module';
import { UsersModule } from '../../../users/users.module';
import {
  IdaasSdkAppOrUserScheme,
  IdaasSdkAppScheme,
  IdaasSdkStateTokenScheme,
  IdaasSdkUserScheme,
} from './idaas-sdk-auth.schemes';
import { IdaasSdkController } from './idaas-sdk.controller';

/**
 * The IDaaS SDK API (`/api/v2/sdk/*`, seed 004): its controller and the four auth schemes it
 * registers (device headers and application; then ID token, state token, or ID token if sent).
 */
@Module({
  imports: [AuthModule, ApplicationsModule, UsersModule, CredentialsModule],
  controllers: [IdaasSdkController],
  providers: [
    IdaasSdkAppScheme,
    IdaasSdkUserScheme,
    IdaasSdkAppOrUserScheme,
    IdaasSdkStateTokenScheme,
  ],
})
export class IdaasSdkModule {}
