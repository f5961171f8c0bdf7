import { BCRYPT_MAX_BYTES } from '../../hashing/password-hasher.service';
import type { PasswordPolicy, PolicyViolation } from '../password-policy.types';
import { codePoints, type PasswordRule } from './password-rule';

/** Length in code points after NFKC; also the 72-byte bcrypt limit, so nothing is truncated. */
export class LengthRule implements PasswordRule {
  readonly id = 'length' as const;

  check(password: string, _subject: unknown, policy: PasswordPolicy): PolicyViolation | null {
    const length = codePoints(password).length;
    const bytes = Buffer.byteLength(password, 'utf8');
    const params = { min: policy.min_length, max: policy.max_length };
    if (bytes > BCRYPT_MAX_BYTES)
      return { rule: this.id, params: { ...params, max_bytes: BCRYPT_MAX_BYTES } };
    if (length < policy.min_length || length > policy.max_length) return { rule: this.id, params };
    return null;
  }
}
