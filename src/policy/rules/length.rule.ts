import { BCRYPT_MAX_BYTES } from '../../hashing/password-hasher.service';
import type { PasswordPolicy, PolicyViolation } from '../password-policy.types';
import { violation } from '../violations';
import { codePoints, type PasswordRule } from './password-rule';

/** Length in code points after NFKC; also the 72-byte bcrypt limit, so nothing is truncated. */
export class LengthRule implements PasswordRule<'length'> {
  readonly id = 'length' as const;

  check(
    password: string,
    _subject: unknown,
    policy: PasswordPolicy,
  ): PolicyViolation<'length'> | null {
    const length = codePoints(password).length;
    const bytes = Buffer.byteLength(password, 'utf8');
    const bounds = { min: policy.min_length, max: policy.max_length };
    if (bytes > BCRYPT_MAX_BYTES)
      return violation.length({ ...bounds, maxBytes: BCRYPT_MAX_BYTES, actualBytes: bytes });
    if (length < bounds.min || length > bounds.max) return violation.length(bounds);
    return null;
  }
}
