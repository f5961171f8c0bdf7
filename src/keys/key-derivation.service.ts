import { hkdfSync } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../config/app.config';
import { processSecretKey, readOrCreateSecretKeyFile } from './secret-key.file';

/** HKDF salt: fixed and public (RFC 5869 §3.1), it only separates Tessera's keys from other uses. */
const HKDF_SALT = Buffer.from('tessera/hkdf/v1', 'utf8');
const DERIVED_KEY_BYTES = 32;

/**
 * Every server key, derived from `SECRET_KEY` with HKDF-SHA256 (RFC 5869), one per purpose (the
 * `info` string), so no key ever needs to be stored and a database dump alone reveals none.
 * Derived keys are cached: HKDF runs once per purpose per process, never per request.
 * Without `SECRET_KEY` (outside production only — the config refuses to start otherwise) the root
 * is generated once into the data directory, or kept in memory for `sqlite::memory:`.
 */
@Injectable()
export class KeyDerivationService {
  private readonly root: Buffer;
  private readonly derived = new Map<string, Buffer>();

  constructor(config: AppConfig) {
    this.root = Buffer.from(KeyDerivationService.rootSecret(config), 'utf8');
  }

  /** The 256-bit key for `info` (e.g. `tessera/hmac/refresh-token`). */
  derive(info: string): Buffer {
    let key = this.derived.get(info);
    if (!key) {
      key = Buffer.from(hkdfSync('sha256', this.root, HKDF_SALT, info, DERIVED_KEY_BYTES));
      this.derived.set(info, key);
    }
    return key;
  }

  private static rootSecret(config: AppConfig): string {
    if (config.secretKey) return config.secretKey;
    if (config.isProduction) throw new Error('SECRET_KEY is required in production');
    if (!config.generatedSecretKeyPath) return processSecretKey();
    const { key, created } = readOrCreateSecretKeyFile(config.generatedSecretKeyPath);
    if (created) {
      new Logger(KeyDerivationService.name).warn(
        `SECRET_KEY is unset: generated one into ${config.generatedSecretKeyPath} (keep it with the data; set SECRET_KEY in production)`,
      );
    }
    return key;
  }
}
