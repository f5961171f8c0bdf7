import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';
import { Optional } from '../../../../common/validation/optional.decorator';

/** What `update-by-mobile` and `update-by-email` share. */
class IdaasUpdateByCodeFields {
  @ApiProperty({
    description: 'The six-digit code from sms/send or email/send.',
    example: '123456',
  })
  @IsString()
  @MinLength(1)
  @MaxLength(16)
  verify_code!: string;

  @ApiProperty({ description: 'The new password (PARAM.0019 when empty).' })
  @Optional()
  @IsString()
  @MaxLength(1024)
  password?: string;
}

/** `POST /api/v2/sdk/pwd/update-by-mobile`. */
export class IdaasUpdateByMobileRequest extends IdaasUpdateByCodeFields {
  @ApiPropertyOptional({
    description:
      'Forgot password (no Authorization): the mobile the FORGET_PWD_SMS code went to. Ignored with a Bearer id_token.',
  })
  @Optional()
  @IsString()
  @MaxLength(32)
  mobile?: string;
}

/** `POST /api/v2/sdk/pwd/update-by-email`. */
export class IdaasUpdateByEmailRequest extends IdaasUpdateByCodeFields {
  @ApiPropertyOptional({
    description:
      'Forgot password (no Authorization): the email the FORGET_PWD_EMS code went to. Ignored with a Bearer id_token.',
  })
  @Optional()
  @IsString()
  @MaxLength(320)
  email?: string;
}
