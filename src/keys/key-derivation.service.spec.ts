import crypto, { createHmac } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import { AppConfig } from '../config/app.config';
import { KeyDerivationService } from './key-derivation.service';
import { SecretDigestService } from './secret-digest.service';

const SECRET_KEY = '9f2c4e6a8b0d1f3e5a7c9e1b3d5f7a9c0e2b4d6f8a1c3e5b7d9f0a2c4e6b8d0f';

/** RFC 5869 Appendix A.1 (SHA-256, basic test case). */
const RFC5869 = {
  ikm: Buffer.alloc(22, 0x0b),
  salt: Buffer.from('000102030405060708090a0b0c', 'hex'),
  info: Buffer.from('f0f1f2f3f4f5f6f7f8f9', 'hex'),
  okm: '3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865',
};

/** HKDF-SHA256 written out from RFC 5869 §2.2–2.3, to check the service against. */
function hkdf(ikm: Buffer, salt: Buffer, info: Buffer, length: number): Buffer {
  const prk = createHmac('sha256', salt).update(ikm).digest();
  const blocks: Buffer[] = [];
  let previous = Buffer.alloc(0);
  for (let i = 1; Buffer.concat(blocks).length < length; i += 1) {
    previous = createHmac('sha256', prk)
      .update(Buffer.concat([previous, info, Buffer.from([i])]))
      .digest();
    blocks.push(previous);
  }
  return Buffer.concat(blocks).subarray(0, length);
}

const service = (env: Record<string, string>): KeyDerivationService =>
  new KeyDerivationService(AppConfig.fromEnvironment(env));

describe(KeyDerivationService.name, () => {
  beforeAll(() => Logger.overrideLogger(false));

  it('should implement HKDF-SHA256 as RFC 5869 states it (reference check)', () => {
    const okm = hkdf(RFC5869.ikm, RFC5869.salt, RFC5869.info, 42);
    expect(okm.toString('hex')).toBe(RFC5869.okm);
  });

  it('should derive HKDF-SHA256(SECRET_KEY, tessera salt, info) — one 256-bit key per purpose', () => {
    const keys = service({ SECRET_KEY });
    const expected = hkdf(
      Buffer.from(SECRET_KEY, 'utf8'),
      Buffer.from('tessera/hkdf/v1', 'utf8'),
      Buffer.from('tessera/hmac/otp-code', 'utf8'),
      32,
    );
    expect(keys.derive('tessera/hmac/otp-code')).toEqual(expected);
    expect(keys.derive('tessera/hmac/refresh-token')).not.toEqual(expected);
    // Not the root itself, and another root gives other keys.
    expect(keys.derive('tessera/hmac/otp-code').toString('utf8')).not.toContain(SECRET_KEY);
    expect(
      service({ SECRET_KEY: SECRET_KEY.replace('9f', 'a0') }).derive('tessera/hmac/otp-code'),
    ).not.toEqual(expected);
  });

  it('should derive each purpose once and serve it from the cache afterwards', () => {
    const keys = service({ SECRET_KEY });
    const first = keys.derive('tessera/hmac/opaque-token');
    expect(keys.derive('tessera/hmac/opaque-token')).toBe(first);
  });

  it('should generate a key once into the data directory, mode 0600, when SECRET_KEY is unset', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tessera-keys-'));
    try {
      const env = { DATABASE_URL: `sqlite:${join(dir, 'db', 'tessera.db')}` };
      const first = service(env).derive('tessera/hmac/x');
      const file = join(dir, 'db', 'secret.key');
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(readFileSync(file, 'utf8').trim()).toMatch(/^[0-9a-f]{64}$/);
      // A restart (or a second replica) reads the same key.
      expect(service(env).derive('tessera/hmac/x')).toEqual(first);
      expect(
        service({ SECRET_KEY: readFileSync(file, 'utf8').trim() }).derive('tessera/hmac/x'),
      ).toEqual(first);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('should share one generated key across the process for sqlite::memory:', () => {
    const env = { DATABASE_URL: 'sqlite::memory:' };
    expect(service(env).derive('tessera/hmac/x')).toEqual(service(env).derive('tessera/hmac/x'));
  });
});

describe(SecretDigestService.name, () => {
  const keys = service({ SECRET_KEY });
  const digests = new SecretDigestService(keys);

  it('should HMAC under the key of the purpose family, bound to the full purpose', () => {
    const expected = createHmac('sha256', keys.derive('tessera/hmac/otp-code'))
      .update('otp-code:abc')
      .update('\0')
      .update('123456')
      .digest('hex');
    expect(digests.digest('123456', 'otp-code:abc')).toBe(expected);
    expect(digests.digest('123456', 'otp-code:abd')).not.toBe(expected);
    expect(digests.matches('123456', expected, 'otp-code:abc')).toBe(true);
    expect(digests.matches('123457', expected, 'otp-code:abc')).toBe(false);
  });

  it('should not be computable from the root key alone (the old, single-key scheme)', () => {
    const underRoot = createHmac('sha256', Buffer.from(SECRET_KEY, 'utf8'))
      .update('refresh-token')
      .update('\0')
      .update('token')
      .digest('hex');
    expect(digests.digest('token', 'refresh-token')).not.toBe(underRoot);
  });

  it('should run HKDF once per family, not once per digest', () => {
    const hkdfSync = jest.spyOn(crypto, 'hkdfSync');
    try {
      const fresh = new SecretDigestService(service({ SECRET_KEY }));
      for (let i = 0; i < 5; i += 1) fresh.digest(`code-${i}`, `otp-code:challenge-${i}`);
      fresh.digest('token', 'refresh-token');
      fresh.digest('token-2', 'refresh-token');
      expect(hkdfSync.mock.calls.map(([, , , info]) => info)).toEqual([
        'tessera/hmac/otp-code',
        'tessera/hmac/refresh-token',
      ]);
    } finally {
      hkdfSync.mockRestore();
    }
  });
});
