import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { AppConfig } from '../config/app.config';
import { isUniqueViolation } from '../database/unique-violation';
import { KeyMaterial } from './key-material.entity';

const HMAC_KEY_NAME = 'secret-digest-hmac';

/**
 * Digests of high-entropy secrets we generate ourselves (client secrets, refresh and opaque tokens,
 * OTP tokens and codes): HMAC-SHA256 under a server key. A slow hash would add nothing for 256-bit
 * secrets and would put a bcrypt on every client-credentials grant. The key is `SECRET_KEY` when
 * set, else generated once and kept in the database so every replica computes the same digests.
 */
@Injectable()
export class SecretDigestService implements OnModuleInit {
  private key?: Buffer;

  constructor(
    private readonly config: AppConfig,
    @InjectRepository(KeyMaterial) private readonly keyMaterial: Repository<KeyMaterial>,
  ) {}

  async onModuleInit(): Promise<void> {
    this.key = this.config.secretKey
      ? Buffer.from(this.config.secretKey, 'utf8')
      : await this.loadOrCreateKey();
  }

  /** Hex HMAC-SHA256 of `secret`, optionally bound to a purpose so digests never cross uses. */
  digest(secret: string, purpose = ''): string {
    return createHmac('sha256', this.requireKey())
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

  private requireKey(): Buffer {
    if (!this.key) throw new Error('SecretDigestService used before initialisation');
    return this.key;
  }

  private async loadOrCreateKey(): Promise<Buffer> {
    const existing = await this.keyMaterial.findOneBy({ name: HMAC_KEY_NAME });
    if (existing) return Buffer.from(existing.value, 'base64');
    try {
      await this.keyMaterial.insert({
        name: HMAC_KEY_NAME,
        value: randomBytes(32).toString('base64'),
        createdAt: new Date(),
      });
    } catch (error) {
      // Another replica created it first; theirs is the key.
      if (!isUniqueViolation(error)) throw error;
    }
    const stored = await this.keyMaterial.findOneByOrFail({ name: HMAC_KEY_NAME });
    return Buffer.from(stored.value, 'base64');
  }
}
