import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { KeysModule } from '../keys/keys.module';
import { OtpChallenge } from './otp-challenge.entity';
import { OtpDeliveryService } from './otp-delivery.service';
import { OtpSendThrottle } from './otp-send-throttle.entity';
import { OtpSendThrottleService } from './otp-send-throttle.service';
import { OtpService } from './otp.service';

/** One-time codes by email and SMS; other modules use `OtpService` only. */
@Module({
  imports: [TypeOrmModule.forFeature([OtpChallenge, OtpSendThrottle]), KeysModule],
  providers: [OtpService, OtpDeliveryService, OtpSendThrottleService],
  exports: [OtpService],
})
export class OtpModule {}
