import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';
import { Optional } from '../../../common/validation/optional.decorator';
import { TencentClientCredentialsFields } from './tencent-client-credentials.fields';

/** Seed 001 request body: the email fields or the phone fields, with the code sent beforehand. */
export class TencentResetPasswordRequest extends TencentClientCredentialsFields {
  @ApiProperty({ description: 'New password.', example: 'MOCK_PASSWORD' })
  @IsString()
  @MinLength(1)
  @MaxLength(1024)
  password!: string;

  @ApiPropertyOptional({ description: "The user's email address.", example: 'MOCK_EMAIL@163.com' })
  @Optional()
  @IsString()
  @MaxLength(320)
  email?: string;

  @ApiPropertyOptional({
    description: 'The otp_token returned after the email code was sent.',
    example: 'MOCK_EMAIL_OTP_TOKEN',
  })
  @Optional()
  @IsString()
  @MaxLength(256)
  email_otp_token?: string;

  @ApiPropertyOptional({ description: 'The code received by email.', example: '123456' })
  @Optional()
  @IsString()
  @MaxLength(32)
  email_otp?: string;

  @ApiPropertyOptional({ description: "The user's mobile number.", example: '+8613800138000' })
  @Optional()
  @IsString()
  @MaxLength(32)
  phone_number?: string;

  @ApiPropertyOptional({ description: 'The otp_token returned after the SMS code was sent.' })
  @Optional()
  @IsString()
  @MaxLength(256)
  phone_number_otp_token?: string;

  @ApiPropertyOptional({ description: 'The code received by SMS.', example: '123456' })
  @Optional()
  @IsString()
  @MaxLength(32)
  phone_number_otp?: string;
}
