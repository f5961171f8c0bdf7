import type { PasswordPolicy, PolicyViolation } from '../password-policy.types';
import { violation } from '../violations';
import { codePoints, type PasswordRule, type PolicySubject } from './password-rule';

/** Not the username, nor the username reversed (case-insensitive). */
export class UsernameRule implements PasswordRule<'username'> {
  readonly id = 'username' as const;

  check(
    password: string,
    subject: PolicySubject,
    policy: PasswordPolicy,
  ): PolicyViolation<'username'> | null {
    if (!policy.forbid_username || !subject.username) return null;
    const candidate = password.toLowerCase();
    const username = subject.username.normalize('NFKC').toLowerCase();
    const reversed = codePoints(username).reverse().join('');
    return candidate === username || candidate === reversed ? violation.username() : null;
  }
}
