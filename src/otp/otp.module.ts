import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { KeysModule } from '../keys/keys.module';
import { OtpChallenge } from './otp-challenge.entity';
import { OtpDeliveryService } from './otp-delivery.service';
import { OtpSendThrottle } from './otp-send-throttle.entity';
import { OtpSendThrottleService } from './otp-send-throttle.service';
import { OtpService } from './otp.service';
import { RedisConnection } from '../redis/redis.connection';
import { OTP_SEND_COUNTER, type OtpSendCounter } from './otp-send-counter';
import { RedisOtpSendCounter } from './redis-otp-send-counter';

/** One-time codes by email and SMS; other modules use `OtpService` only. */
@Module({
  imports: [TypeOrmModule.forFeature([OtpChallenge, OtpSendThrottle]), KeysModule],
  providers: [
    OtpService,
    OtpDeliveryService,
    OtpSendThrottleService,
    {
      // Redis when REDIS_URL is set, else the database table: decided once, at start.
      provide: OTP_SEND_COUNTER,
      inject: [OtpSendThrottleService, RedisConnection],
      useFactory: (database: OtpSendThrottleService, redis: RedisConnection): OtpSendCounter =>
        redis.client ? new RedisOtpSendCounter(redis.client) : database,
    },
  ],
  exports: [OtpService],
})
export class OtpModule {}
