import { Module } from '@nestjs/common';
import { AuthModule } from './auth/auth.module';
import { LoggingModule } from './common/logging/logging.module';
import { ConfigModule } from './config/config.module';
import { CredentialsModule } from './credentials/credentials.module';
import { DatabaseModule } from './database/database.module';
import { HuaweiIamModule } from './dialects/huawei-iam/huawei-iam.module';
import { IdaasSdkModule } from './dialects/idaas/sdk/idaas-sdk.module';
import { IdaasTenantModule } from './dialects/idaas/tenant/idaas-tenant.module';
import { TencentCiamModule } from './dialects/tencent-ciam/tencent-ciam.module';
import { HealthModule } from './health/health.module';
import { KeysModule } from './keys/keys.module';
import { MetricsModule } from './metrics/metrics.module';
import { OtpModule } from './otp/otp.module';
import { RateLimitModule } from './rate-limit/rate-limit.module';
import { RedisModule } from './redis/redis.module';

/** Composition root. */
@Module({
  imports: [
    ConfigModule,
    LoggingModule,
    DatabaseModule,
    RedisModule,
    RateLimitModule,
    KeysModule,
    HealthModule,
    MetricsModule,
    OtpModule,
    AuthModule,
    CredentialsModule,
    TencentCiamModule,
    HuaweiIamModule,
    IdaasTenantModule,
    IdaasSdkModule,
  ],
})
export class AppModule {}
