import { ApiProperty } from '@nestjs/swagger';
import { IsBoolean, IsInt, IsOptional, Max, Min } from 'class-validator';
import { DEFAULT_PASSWORD_POLICY as D } from '../password-policy.types';

/** The password policy (API.md §1). As a request body every field is optional (partial update). */
export class PasswordPolicyDto {
  @ApiProperty({
    description: 'Minimum length in code points after NFKC',
    default: D.min_length,
    minimum: 1,
    maximum: 128,
    example: 8,
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(128)
  min_length!: number;

  @ApiProperty({
    description:
      'Maximum length in code points after NFKC (input over 72 UTF-8 bytes is refused regardless: bcrypt limit)',
    default: D.max_length,
    minimum: 1,
    maximum: 128,
    example: 64,
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(128)
  max_length!: number;

  @ApiProperty({
    description: 'How many of lowercase, uppercase, digit, other',
    default: D.min_character_classes,
    minimum: 1,
    maximum: 4,
    example: 2,
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(4)
  min_character_classes!: number;

  @ApiProperty({
    description: 'Refuse the username and the username reversed (case-insensitive)',
    default: D.forbid_username,
  })
  @IsOptional()
  @IsBoolean()
  forbid_username!: boolean;

  @ApiProperty({
    description:
      'Refuse passwords containing the username, phone digits, email local part or the name (pinyin)',
    default: D.forbid_personal_info,
  })
  @IsOptional()
  @IsBoolean()
  forbid_personal_info!: boolean;

  @ApiProperty({
    description: 'Most identical characters in a row; 0 = off',
    default: D.max_repeated_chars,
    minimum: 0,
    maximum: 64,
    example: 0,
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(64)
  max_repeated_chars!: number;

  @ApiProperty({
    description: 'Refuse passwords in the bundled weak-password list (case-insensitive)',
    default: D.block_common_passwords,
  })
  @IsOptional()
  @IsBoolean()
  block_common_passwords!: boolean;

  @ApiProperty({
    description: 'Previous passwords (besides the current one) that may not be reused',
    default: D.history_count,
    minimum: 0,
    maximum: 24,
    example: 5,
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(24)
  history_count!: number;

  @ApiProperty({
    description: 'Password expiry in days; 0 = never',
    default: D.max_age_days,
    minimum: 0,
    maximum: 3650,
    example: 0,
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(3650)
  max_age_days!: number;

  @ApiProperty({
    description: 'Warn this many days before expiry',
    default: D.expiry_warn_days,
    minimum: 0,
    maximum: 365,
    example: 7,
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(365)
  expiry_warn_days!: number;

  @ApiProperty({
    description:
      'Minutes before a user may change the password again (admin set and reset are exempt)',
    default: D.min_age_minutes,
    minimum: 0,
    maximum: 525600,
    example: 0,
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(525600)
  min_age_minutes!: number;

  @ApiProperty({
    description: 'Failed password checks within the window that lock the user; 0 = off',
    default: D.lockout_threshold,
    minimum: 0,
    maximum: 1000,
    example: 5,
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(1000)
  lockout_threshold!: number;

  @ApiProperty({
    description: 'Window for counting failures, seconds',
    default: D.lockout_window_seconds,
    minimum: 1,
    maximum: 86400,
    example: 900,
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(86400)
  lockout_window_seconds!: number;

  @ApiProperty({
    description: 'How long a lockout lasts, seconds',
    default: D.lockout_duration_seconds,
    minimum: 1,
    maximum: 31536000,
    example: 900,
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(31536000)
  lockout_duration_seconds!: number;
}
