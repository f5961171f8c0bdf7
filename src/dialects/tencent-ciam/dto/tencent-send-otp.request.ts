import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { OTP_USAGES, type OtpUsage } from '../../../otp/otp-usage';
import { TencentClientCredentialsFields } from './tencent-client-credentials.fields';

export class TencentSendOtpRequest extends TencentClientCredentialsFields {
  @ApiPropertyOptional({
    enum: OTP_USAGES,
    default: 'login',
    description: 'What the code will be used for.',
  })
  @IsOptional()
  @IsIn(OTP_USAGES)
  usage?: OtpUsage;

  @ApiPropertyOptional({
    description: 'Send the code by email to this address.',
    example: 'MOCK_EMAIL@163.com',
  })
  @IsOptional()
  @IsString()
  @MaxLength(320)
  email?: string;

  @ApiPropertyOptional({
    description: 'Send the code by SMS to this number (E.164, or national in the default region).',
    example: '+8613800138000',
  })
  @IsOptional()
  @IsString()
  @MaxLength(32)
  phone_number?: string;
}

export class TencentSendOtpResponse {
  @ApiPropertyOptional({
    description: 'Pass this with the code to the API that consumes it.',
    example: 'b3RwLXRva2VuLWV4YW1wbGU',
  })
  otp_token!: string;
}
