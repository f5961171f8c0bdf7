import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export const IDAAS_LOGIN_STATUSES = ['SUCCESS', 'PASSWORD_WARN', 'PASSWORD_EXPIRED'] as const;
export type IdaasLoginStatus = (typeof IDAAS_LOGIN_STATUSES)[number];

/** A SUCCESS result: the session (login, `pwd/update`, `pwd/skip-update`). */
export class IdaasSessionResponse {
  @ApiProperty({ enum: ['SUCCESS'], example: 'SUCCESS' })
  status!: 'SUCCESS';

  @ApiProperty({
    description: 'Opaque session token (a rotating refresh token of the native API).',
    example: 'LGTiTNVDFPlpefV3F3Hla7RUFTqInsqa',
  })
  session_token!: string;

  @ApiProperty({ description: 'Seconds the session_token stays valid.', example: 2592000 })
  expire!: number;

  @ApiProperty({
    description: 'OIDC ID token for the post-login routes (`Authorization: Bearer {id_token}`).',
  })
  id_token!: string;
}

/** PASSWORD_WARN (expires within `expiry_warn_days`) or PASSWORD_EXPIRED (must change). */
export class IdaasPasswordStateResponse {
  @ApiProperty({ enum: ['PASSWORD_WARN', 'PASSWORD_EXPIRED'] })
  status!: 'PASSWORD_WARN' | 'PASSWORD_EXPIRED';

  @ApiProperty({
    description:
      'Single-use token (5 minutes) for `pwd/update` (both) or `pwd/skip-update` (PASSWORD_WARN only).',
  })
  state_token!: string;

  @ApiProperty({
    description:
      'The password policy as a JSON string: minLength, maxLength, minCharacterClasses, forbidUsername, ' +
      'forbidPersonalInfo, maxRepeatedChars, blockCommonPasswords, historyCount, maxAgeDays, expiryWarnDays, minAgeMinutes.',
    example: '{"minLength":8,"maxLength":64,"minCharacterClasses":2}',
  })
  data!: string;
}

export class IdaasCheckExistResponse {
  @ApiPropertyOptional({ description: 'Whether the user has a password.', example: true })
  is_set_pwd!: boolean;
}
