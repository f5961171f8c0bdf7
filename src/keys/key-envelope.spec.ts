import { randomBytes } from 'node:crypto';
import { KeyEnvelope, KeyEnvelopeError } from './key-envelope';

describe(KeyEnvelope.name, () => {
  const key = randomBytes(32);
  const envelope = new KeyEnvelope(key);
  const plaintext = Buffer.from('-----BEGIN PRIVATE KEY----- not really', 'utf8');

  /** Flips one bit of the base64url part `index` (1 nonce, 2 ciphertext, 3 tag). */
  const tamper = (sealed: string, index: number): string => {
    const parts = sealed.split(':');
    const bytes = Buffer.from(parts[index] ?? '', 'base64url');
    bytes[0] = (bytes[0] ?? 0) ^ 1;
    parts[index] = bytes.toString('base64url');
    return parts.join(':');
  };

  it('should open what it sealed, in the versioned form with a 96-bit nonce and a 128-bit tag', () => {
    const sealed = envelope.seal(plaintext, 'kid-1');
    const [version, nonce, ciphertext, tag] = sealed.split(':');
    expect(version).toBe('v1');
    expect(Buffer.from(nonce ?? '', 'base64url')).toHaveLength(12);
    expect(Buffer.from(ciphertext ?? '', 'base64url')).toHaveLength(plaintext.length);
    expect(Buffer.from(tag ?? '', 'base64url')).toHaveLength(16);
    expect(sealed).not.toContain(plaintext.toString('base64url'));
    expect(KeyEnvelope.isSealed(sealed)).toBe(true);
    expect(envelope.open(sealed, 'kid-1')).toEqual(plaintext);
  });

  it('should use a fresh nonce for every seal', () => {
    const nonces = new Set(
      Array.from({ length: 50 }, () => envelope.seal(plaintext, 'kid-1').split(':')[1]),
    );
    expect(nonces.size).toBe(50);
  });

  it.each([
    ['the nonce', 1],
    ['the ciphertext', 2],
    ['the tag', 3],
  ])('should refuse a value whose %s was altered', (_part, index) => {
    const sealed = tamper(envelope.seal(plaintext, 'kid-1'), index);
    expect(() => envelope.open(sealed, 'kid-1')).toThrow(KeyEnvelopeError);
  });

  it('should refuse a value sealed under another key or for another row', () => {
    const sealed = envelope.seal(plaintext, 'kid-1');
    expect(() => new KeyEnvelope(randomBytes(32)).open(sealed, 'kid-1')).toThrow(KeyEnvelopeError);
    expect(() => envelope.open(sealed, 'kid-2')).toThrow(KeyEnvelopeError);
  });

  it.each([
    ['plaintext PEM', '-----BEGIN PRIVATE KEY-----\nMIGH\n-----END PRIVATE KEY-----'],
    ['an unknown version', 'v2:AAAAAAAAAAAAAAAA:AA:AAAAAAAAAAAAAAAAAAAAAA'],
    ['a short nonce', 'v1:AAAA:AA:AAAAAAAAAAAAAAAAAAAAAA'],
    ['a missing tag', 'v1:AAAAAAAAAAAAAAAA:AA'],
    ['extra parts', 'v1:AAAAAAAAAAAAAAAA:AA:AAAAAAAAAAAAAAAAAAAAAA:AA'],
  ])('should refuse %s', (_what, value) => {
    expect(() => envelope.open(value, 'kid-1')).toThrow(KeyEnvelopeError);
  });

  it('should need a 256-bit key', () => {
    expect(() => new KeyEnvelope(randomBytes(16))).toThrow(/256-bit/);
  });
});
