import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsString, MaxLength, MinLength } from 'class-validator';
import { IdentityError, IdentityErrorCode } from '../../../../common/errors/identity-error';
import { Optional } from '../../../../common/validation/optional.decorator';

/** Seed 002 request body ("Change User Password"). */
export class IdaasTenantChangePasswordRequest {
  @ApiProperty({ description: 'New password', example: '12345678' })
  @IsString()
  @MinLength(1)
  @MaxLength(1024)
  password!: string;

  @ApiPropertyOptional({
    default: true,
    description: 'Whether the user must change the password at the next sign-in',
  })
  @Optional()
  @IsBoolean()
  must_modify?: boolean;

  @ApiPropertyOptional({
    description: 'Alias of `must_modify` (the name the vendor uses elsewhere)',
  })
  @Optional()
  @IsBoolean()
  pwd_must_modify?: boolean;

  /** `must_modify`, else its alias, else true (seed 002); the two may not disagree. */
  mustModify(): boolean {
    const { must_modify: value, pwd_must_modify: alias } = this;
    if (value !== undefined && alias !== undefined && value !== alias) {
      throw new IdentityError(IdentityErrorCode.INVALID_ARGUMENT, {
        fields: [
          {
            field: 'must_modify|pwd_must_modify',
            problems: ['must_modify and pwd_must_modify must agree when both are sent'],
          },
        ],
      });
    }
    return value ?? alias ?? true;
  }
}
