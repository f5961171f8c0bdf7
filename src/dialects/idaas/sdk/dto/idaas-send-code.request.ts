import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsString, MaxLength, MinLength } from 'class-validator';
import { Optional } from '../../../../common/validation/optional.decorator';

export const IDAAS_SMS_TYPES = ['UPDATE_PWD_SMS', 'FORGET_PWD_SMS'] as const;
export const IDAAS_EMAIL_TYPES = ['UPDATE_PWD_EMS', 'FORGET_PWD_EMS'] as const;

/** Accepted and ignored: Tessera has no captcha to verify it against. */
class IdaasCaptchaField {
  @ApiPropertyOptional({ description: 'Captcha token (accepted; no captcha is configured).' })
  @Optional()
  @IsString()
  @MaxLength(4096)
  captcha_token?: string;
}

/** `POST /api/v2/sdk/sms/send`. */
export class IdaasSendSmsRequest extends IdaasCaptchaField {
  @ApiProperty({ description: 'Mobile number (E.164, or national in the default region).' })
  @IsString()
  @MinLength(1)
  @MaxLength(32)
  mobile!: string;

  @ApiProperty({ enum: IDAAS_SMS_TYPES })
  @IsIn(IDAAS_SMS_TYPES)
  type!: (typeof IDAAS_SMS_TYPES)[number];
}

/** `POST /api/v2/sdk/email/send`. */
export class IdaasSendEmailRequest extends IdaasCaptchaField {
  @ApiProperty({ description: 'Email address.' })
  @IsString()
  @MinLength(1)
  @MaxLength(320)
  email!: string;

  @ApiProperty({
    enum: IDAAS_EMAIL_TYPES,
    description: "`EMS` is the vendor's spelling for email.",
  })
  @IsIn(IDAAS_EMAIL_TYPES)
  type!: (typeof IDAAS_EMAIL_TYPES)[number];
}
