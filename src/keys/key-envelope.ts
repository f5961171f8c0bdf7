import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const VERSION = 'v1';
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;

/** A sealed value could not be opened: wrong key, altered bytes or an unknown format. */
export class KeyEnvelopeError extends Error {}

/**
 * AES-256-GCM envelope for key material at rest: `v1:<nonce>:<ciphertext>:<tag>` (base64url), a
 * random 96-bit nonce per value (NIST SP 800-38D §8.2.2; far below 2^32 seals per key) and
 * associated data that binds the value to its row, so a sealed key cannot be moved to another.
 */
export class KeyEnvelope {
  constructor(private readonly key: Buffer) {
    if (key.length !== KEY_BYTES) throw new Error('KeyEnvelope needs a 256-bit key');
  }

  /** Whether `value` is in the sealed format (plaintext PEM is not). */
  static isSealed(value: string): boolean {
    return value.startsWith(`${VERSION}:`);
  }

  seal(plaintext: Buffer, associatedData: string): string {
    const nonce = randomBytes(NONCE_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, nonce, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(associatedData, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    return [VERSION, nonce, ciphertext, cipher.getAuthTag()]
      .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
      .join(':');
  }

  /** The plaintext; throws `KeyEnvelopeError` unless the tag verifies under this key. */
  open(sealed: string, associatedData: string): Buffer {
    const [version, nonce, ciphertext, tag, ...rest] = sealed.split(':');
    if (
      version !== VERSION ||
      nonce === undefined ||
      ciphertext === undefined ||
      !tag ||
      rest.length
    )
      throw new KeyEnvelopeError('not a v1 sealed value');
    const nonceBytes = Buffer.from(nonce, 'base64url');
    const tagBytes = Buffer.from(tag, 'base64url');
    if (nonceBytes.length !== NONCE_BYTES || tagBytes.length !== TAG_BYTES)
      throw new KeyEnvelopeError('malformed sealed value');
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, nonceBytes, {
        authTagLength: TAG_BYTES,
      });
      decipher.setAAD(Buffer.from(associatedData, 'utf8'));
      decipher.setAuthTag(tagBytes);
      return Buffer.concat([
        decipher.update(Buffer.from(ciphertext, 'base64url')),
        decipher.final(),
      ]);
    } catch {
      throw new KeyEnvelopeError('authentication tag does not verify');
    }
  }
}
