import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { KeysModule } from '../keys/keys.module';
import { OtpChallenge } from './otp-challenge.entity';
import { OtpService } from './otp.service';

@Module({
  imports: [TypeOrmModule.forFeature([OtpChallenge]), KeysModule],
  providers: [OtpService],
  exports: [OtpService],
})
export class OtpModule {}
