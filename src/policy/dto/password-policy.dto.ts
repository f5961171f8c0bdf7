import { applyDecorators } from '@nestjs/common';
import { ApiProperty, PartialType } from '@nestjs/swagger';
import { IsBoolean, IsInt, Max, Min } from 'class-validator';
import { POLICY_BOUNDS } from '../password-policy.bounds';
import { DEFAULT_PASSWORD_POLICY as D } from '../password-policy.types';

type Bounded = keyof typeof POLICY_BOUNDS;

const IntField = (field: Bounded, description: string, example: number = D[field]) => {
  const { min, max } = POLICY_BOUNDS[field];
  return applyDecorators(
    ApiProperty({ description, default: D[field], minimum: min, maximum: max, example }),
    IsInt(),
    Min(min),
    Max(max),
  );
};

const BoolField = (field: keyof typeof D, description: string) =>
  applyDecorators(ApiProperty({ description, default: D[field], example: D[field] }), IsBoolean());

/** The password policy (API.md §1), as served and as stored. */
export class PasswordPolicyDto {
  @IntField('min_length', 'Minimum length, in Unicode code points after NFKC normalization')
  min_length!: number;

  @IntField(
    'max_length',
    'Maximum length, in code points after NFKC. Independently, a password over 72 UTF-8 bytes is ' +
      'refused (bcrypt limit; violation `length` with `max_bytes: 72`).',
  )
  max_length!: number;

  @IntField(
    'min_character_classes',
    'How many of the classes lowercase, uppercase, digit, other (Unicode-aware: a CJK character ' +
      'or a symbol is "other") a password must use',
  )
  min_character_classes!: number;

  @BoolField('forbid_username', 'Refuse the username and the username reversed (case-insensitive)')
  forbid_username!: boolean;

  @BoolField(
    'forbid_personal_info',
    'Refuse passwords containing the username, the phone number (national digits), the email ' +
      'local part or the name (in toneless pinyin when Chinese, joined and spaced); ' +
      'case-insensitive; items shorter than 3 characters are not checked',
  )
  forbid_personal_info!: boolean;

  @IntField('max_repeated_chars', 'Most identical characters in a row; 0 = off', 3)
  max_repeated_chars!: number;

  @BoolField(
    'block_common_passwords',
    'Refuse passwords in the bundled weak-password list (@zxcvbn-ts/language-common, ' +
      '49,233 entries; case-insensitive)',
  )
  block_common_passwords!: boolean;

  @IntField(
    'history_count',
    'Previous passwords, besides the current one, that may not be reused (the current one never ' +
      'may)',
  )
  history_count!: number;

  @IntField('max_age_days', 'Days after which a password expires; 0 = never', 90)
  max_age_days!: number;

  @IntField('expiry_warn_days', 'Days before expiry from which sign-in warns')
  expiry_warn_days!: number;

  @IntField(
    'min_age_minutes',
    'Minutes before a user may change the password again (admin set and reset are exempt); ' +
      'must be shorter than max_age_days when passwords expire',
  )
  min_age_minutes!: number;

  @IntField(
    'lockout_threshold',
    'Failed password checks within the window that lock the user; 0 = off',
  )
  lockout_threshold!: number;

  @IntField('lockout_window_seconds', 'Window in which failed password checks are counted, seconds')
  lockout_window_seconds!: number;

  @IntField('lockout_duration_seconds', 'How long a lockout lasts, seconds')
  lockout_duration_seconds!: number;
}

/**
 * A partial policy: only the fields sent change. `null` is refused rather than read as "unset",
 * so a client cannot blank a field by accident.
 */
export class UpdatePasswordPolicyDto extends PartialType(PasswordPolicyDto, {
  skipNullProperties: false,
}) {}
