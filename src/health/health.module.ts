import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { RedisHealthIndicator } from '../redis/redis.health';
import { LifecycleModule } from '../lifecycle/lifecycle.module';
import { HealthController } from './health.controller';
import { ProbeListener } from './probe-listener';
import { ReadinessCheck } from './readiness.check';

@Module({
  imports: [TerminusModule.forRoot({ logger: false }), LifecycleModule],
  controllers: [HealthController],
  providers: [RedisHealthIndicator, ReadinessCheck, ProbeListener],
})
export class HealthModule {}
