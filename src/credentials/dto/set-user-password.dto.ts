import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsString, MaxLength, MinLength } from 'class-validator';
import { Optional } from '../../common/validation/optional.decorator';

export class SetUserPasswordDto {
  @ApiProperty({
    description: 'The new password; the policy and history apply (minimum age does not).',
    example: 'Correct-Horse-7',
  })
  @IsString()
  @MinLength(1)
  @MaxLength(1024)
  password!: string;

  @ApiPropertyOptional({
    description:
      'Force a change at next sign-in. Defaults to true: a password an administrator chose is temporary (ASVS 6.4.6).',
    default: true,
  })
  @Optional()
  @IsBoolean()
  must_change_password?: boolean;
}
