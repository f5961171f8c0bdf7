import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { KeyDerivationService } from './key-derivation.service';

/** HKDF `info` prefix of the HMAC keys; the purpose family completes it. */
export const HMAC_KEY_INFO_PREFIX = 'tessera/hmac/';

/**
 * Digests of high-entropy secrets we generate ourselves (client secrets, refresh and opaque tokens,
 * OTP tokens and codes): HMAC-SHA256 under a server key. A slow hash would add nothing for 256-bit
 * secrets and would put a bcrypt on every client-credentials grant. Each purpose family (the part
 * of `purpose` before `:`, e.g. `otp-code` for `otp-code:<challenge>`) has its own key derived from
 * `SECRET_KEY` and never stored, so the database alone cannot check a guessed OTP code offline.
 */
@Injectable()
export class SecretDigestService {
  constructor(private readonly keys: KeyDerivationService) {}

  /** Hex HMAC-SHA256 of `secret`, bound to a purpose so digests never cross uses. */
  digest(secret: string, purpose = ''): string {
    return createHmac('sha256', this.keyFor(purpose))
      .update(purpose)
      .update('\0')
      .update(secret, 'utf8')
      .digest('hex');
  }

  /** Constant-time comparison of `secret` against a stored digest. */
  matches(secret: string, storedDigest: string | null | undefined, purpose = ''): boolean {
    const actual = Buffer.from(this.digest(secret, purpose), 'hex');
    // Compare against a same-length dummy when nothing is stored, so timing does not tell.
    const expected = storedDigest ? Buffer.from(storedDigest, 'hex') : Buffer.alloc(actual.length);
    if (expected.length !== actual.length) return false;
    return timingSafeEqual(actual, expected) && Boolean(storedDigest);
  }

  /** A new random secret, base64url, `bytes` of entropy. */
  randomSecret(bytes = 32): string {
    return randomBytes(bytes).toString('base64url');
  }

  /** The family's key; derived once and cached by `KeyDerivationService`, so no HKDF per call. */
  private keyFor(purpose: string): Buffer {
    const separator = purpose.indexOf(':');
    const family = separator === -1 ? purpose : purpose.slice(0, separator);
    return this.keys.derive(`${HMAC_KEY_INFO_PREFIX}${family}`);
  }
}
