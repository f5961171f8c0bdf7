import { Module } from '@nestjs/common';
import { ApplicationsModule } from '../../../applications/applications.module';
import { AuthModule } from '../../../auth/auth.module';
import { CredentialsModule } from '../../../credentials/credentials.module';
import { UsersModule } from '../../../users/users.module';
import { IdaasQueryClientScheme } from './idaas-query-client.scheme';
import { IdaasTenantTokenController } from './idaas-tenant-token.controller';
import { IdaasTenantUsersController } from './idaas-tenant-users.controller';

/** IDaaS tenant (management) API: token, change a user's password, create a user (seed 002). */
@Module({
  imports: [AuthModule, CredentialsModule, ApplicationsModule, UsersModule],
  controllers: [IdaasTenantTokenController, IdaasTenantUsersController],
  providers: [IdaasQueryClientScheme],
})
export class IdaasTenantModule {}
