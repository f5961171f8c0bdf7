import type { PasswordPolicy, PolicyViolation } from '../password-policy.types';
import { violation } from '../violations';
import { codePoints, type PasswordRule } from './password-rule';

/** No more than `max_repeated_chars` identical characters in a row (0 = off). */
export class RepeatedCharsRule implements PasswordRule<'repeated_chars'> {
  readonly id = 'repeated_chars' as const;

  check(
    password: string,
    _subject: unknown,
    policy: PasswordPolicy,
  ): PolicyViolation<'repeated_chars'> | null {
    const max = policy.max_repeated_chars;
    if (max <= 0) return null;
    let run = 0;
    let previous: string | undefined;
    for (const char of codePoints(password)) {
      run = char === previous ? run + 1 : 1;
      previous = char;
      if (run > max) return violation.repeated_chars({ max });
    }
    return null;
  }
}
