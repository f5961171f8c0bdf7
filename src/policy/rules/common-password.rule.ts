import { dictionary } from '@zxcvbn-ts/language-common';
import type { PasswordPolicy, PolicyViolation } from '../password-policy.types';
import { violation } from '../violations';
import type { PasswordRule } from './password-rule';

/**
 * The weak-password list of @zxcvbn-ts/language-common (the zxcvbn project's frequency list of
 * leaked passwords, ~49,000 entries), lower-cased into a Set once per process.
 */
export const COMMON_PASSWORDS: ReadonlySet<string> = new Set(
  dictionary.passwords.map((password) => String(password).toLowerCase()),
);

export class CommonPasswordRule implements PasswordRule<'common_password'> {
  readonly id = 'common_password' as const;

  check(
    password: string,
    _subject: unknown,
    policy: PasswordPolicy,
  ): PolicyViolation<'common_password'> | null {
    return policy.block_common_passwords && COMMON_PASSWORDS.has(password.toLowerCase())
      ? violation.common_password()
      : null;
  }
}
