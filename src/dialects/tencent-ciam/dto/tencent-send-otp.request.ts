import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsString, MaxLength } from 'class-validator';
import { Optional } from '../../../common/validation/optional.decorator';
import type { OtpUsage } from '../../../otp/otp-usage';
import {
  TENCENT_OTP_USAGE_MAP,
  TENCENT_OTP_USAGES,
  type TencentOtpUsage,
} from '../tencent-otp-usage.map';
import { TencentClientCredentialsFields } from './tencent-client-credentials.fields';

export class TencentSendOtpRequest extends TencentClientCredentialsFields {
  @ApiPropertyOptional({
    enum: TENCENT_OTP_USAGES,
    default: 'login',
    description: 'What the code will be used for.',
  })
  @Optional()
  @IsIn(TENCENT_OTP_USAGES)
  usage?: TencentOtpUsage;

  @ApiPropertyOptional({
    description: 'Send the code by email to this address.',
    example: 'MOCK_EMAIL@163.com',
  })
  @Optional()
  @IsString()
  @MaxLength(320)
  email?: string;

  @ApiPropertyOptional({
    description: 'Send the code by SMS to this number (E.164, or national in the default region).',
    example: '+8613800138000',
  })
  @Optional()
  @IsString()
  @MaxLength(32)
  phone_number?: string;

  /** The domain usage of the wire name (`login` when none is given). */
  domainUsage(): OtpUsage {
    return TENCENT_OTP_USAGE_MAP[this.usage ?? 'login'];
  }
}

export class TencentSendOtpResponse {
  @ApiPropertyOptional({
    description: 'Pass this with the code to the API that consumes it.',
    example: 'b3RwLXRva2VuLWV4YW1wbGU',
  })
  otp_token!: string;
}
