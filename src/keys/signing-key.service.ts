import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  randomUUID,
} from 'node:crypto';
import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { AppConfig } from '../config/app.config';
import { isUniqueViolation } from '../database/unique-violation';
import { KeyDerivationService } from './key-derivation.service';
import { KeyEnvelope, KeyEnvelopeError } from './key-envelope';
import { SigningKey } from './signing-key.entity';

export const SIGNING_ALGORITHM = 'ES256';

/** HKDF `info` of the key that seals private signing keys at rest. */
export const SIGNING_KEY_ENCRYPTION_INFO = 'tessera/signing-key-encryption/v1';

/**
 * Every replica re-reads the newest generation this often, so after a rotation on any replica all
 * of them sign with the new key within this bound (plus one query).
 */
export const SIGNING_KEY_REFRESH_INTERVAL_MS = 5000;

/** Unknown `kid`s reload at most this often, so made-up `kid`s cannot turn into a query each. */
const UNKNOWN_KID_RELOAD_INTERVAL_MS = 5000;

/**
 * The longest-lived JWT any dialect signs: Huawei IAM's Keystone tokens (24 h). A retired key must
 * keep verifying until those expire, whatever `ACCESS_TOKEN_TTL_SECONDS` is.
 */
const LONGEST_DIALECT_TOKEN_TTL_SECONDS = 24 * 3600;

export interface ActiveSigningKey {
  kid: string;
  algorithm: typeof SIGNING_ALGORITHM;
  privateKey: KeyObject;
}

export interface SigningKeyInfo {
  kid: string;
  algorithm: typeof SIGNING_ALGORITHM;
  createdAt: Date;
}

export interface PublicJwk {
  kid: string;
  kty: string;
  crv?: string;
  x?: string;
  y?: string;
  alg: string;
  use: 'sig';
}

type SigningKeyHeader = Pick<SigningKey, 'kid' | 'generation' | 'publicJwk' | 'createdAt'>;

/**
 * ES256 signing keys, generated on first start and kept in the database so that every replica
 * signs and verifies alike; the private keys are sealed with AES-256-GCM under a key derived from
 * `SECRET_KEY`, so a database dump alone cannot sign. The newest generation signs; a retired key
 * keeps verifying (and stays in the JWKS) until every token it can have signed has expired.
 * Generation numbers are unique: replicas racing on an empty database all end up with the key of
 * whichever insert won, and concurrent rotations each get their own generation.
 */
@Injectable()
export class SigningKeyService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(SigningKeyService.name);
  private readonly envelope: KeyEnvelope;
  private readonly retentionMs: number;
  private active?: ActiveSigningKey;
  private lastUnknownKidReload = 0;
  private publicKeys = new Map<string, KeyObject>();
  private jwks: PublicJwk[] = [];
  private refreshTimer?: NodeJS.Timeout;

  constructor(
    @InjectRepository(SigningKey) private readonly keys: Repository<SigningKey>,
    derivation: KeyDerivationService,
    config: AppConfig,
  ) {
    this.envelope = new KeyEnvelope(derivation.derive(SIGNING_KEY_ENCRYPTION_INFO));
    // Access (or dialect) token lifetime + ID token lifetime (the access token TTL), after the
    // moment the key stopped signing.
    const longestTtl = Math.max(config.accessTokenTtlSeconds, LONGEST_DIALECT_TOKEN_TTL_SECONDS);
    this.retentionMs = (longestTtl + config.accessTokenTtlSeconds) * 1000;
  }

  async onModuleInit(): Promise<void> {
    if ((await this.keys.count()) === 0) await this.createKey(1);
    await this.sealPlaintextKeys();
    await this.reload();
    this.refreshTimer = setInterval(() => void this.refresh(), SIGNING_KEY_REFRESH_INTERVAL_MS);
    this.refreshTimer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.refreshTimer);
    this.refreshTimer = undefined;
  }

  /** The key that signs now: the newest generation this replica has seen. */
  current(): ActiveSigningKey {
    if (!this.active) throw new Error('SigningKeyService used before initialisation');
    return this.active;
  }

  /**
   * Adds a new generation that signs from now on (here at once, on other replicas within
   * `SIGNING_KEY_REFRESH_INTERVAL_MS`); the previous keys keep verifying until their tokens expire.
   */
  async rotate(): Promise<SigningKeyInfo> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const [newest] = await this.keys.find({ order: { generation: 'DESC' }, take: 1 });
      const created = await this.createKey((newest?.generation ?? 0) + 1);
      if (created) {
        await this.reload();
        return created;
      }
    }
    throw new Error('Could not add a signing key generation: too many concurrent rotations');
  }

  /**
   * The public key for a `kid`, reloading if another replica may have added one since; at most
   * once every few seconds, so tokens with made-up `kid`s cannot turn into a query each.
   */
  async publicKey(kid: string): Promise<KeyObject | undefined> {
    if (
      !this.publicKeys.has(kid) &&
      Date.now() - this.lastUnknownKidReload > UNKNOWN_KID_RELOAD_INTERVAL_MS
    ) {
      this.lastUnknownKidReload = Date.now();
      await this.reload();
    }
    return this.publicKeys.get(kid);
  }

  /** The public key for a `kid` already loaded, without touching the database. */
  publicKeyIfKnown(kid: string): KeyObject | undefined {
    return this.publicKeys.get(kid);
  }

  /** Every key still valid for verification, newest first. */
  publicJwks(): { keys: PublicJwk[] } {
    return { keys: this.jwks };
  }

  private async createKey(generation: number): Promise<SigningKeyInfo | undefined> {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const kid = randomUUID();
    const jwk = publicKey.export({ format: 'jwk' });
    const createdAt = new Date();
    try {
      await this.keys.insert({
        kid,
        generation,
        algorithm: SIGNING_ALGORITHM,
        privateKey: this.seal(kid, privateKey),
        publicJwk: JSON.stringify({ ...jwk, kid, alg: SIGNING_ALGORITHM, use: 'sig' }),
        createdAt,
      });
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      return undefined;
    }
    return { kid, algorithm: SIGNING_ALGORITHM, createdAt };
  }

  /**
   * Rows written before keys were sealed (plaintext PEM) are sealed on first start; the update is
   * conditional on the old value, so replicas starting together seal each row once.
   */
  private async sealPlaintextKeys(): Promise<void> {
    const rows = await this.keys.find({ select: { kid: true, privateKey: true } });
    for (const row of rows) {
      if (KeyEnvelope.isSealed(row.privateKey)) continue;
      const sealed = this.seal(row.kid, createPrivateKey(row.privateKey));
      await this.keys.update({ kid: row.kid, privateKey: row.privateKey }, { privateKey: sealed });
      this.logger.log(`Sealed the plaintext private signing key ${row.kid}`);
    }
  }

  private seal(kid: string, privateKey: KeyObject): string {
    return this.envelope.seal(privateKey.export({ format: 'der', type: 'pkcs8' }), kid);
  }

  private unseal(kid: string, sealed: string): KeyObject {
    try {
      const der = this.envelope.open(sealed, kid);
      return createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
    } catch (error) {
      if (!(error instanceof KeyEnvelopeError)) throw error;
      throw new Error(
        `The private signing key ${kid} does not decrypt: the signing keys were written under another SECRET_KEY (${error.message}). Start with the SECRET_KEY they were written under.`,
      );
    }
  }

  /** Periodic re-read; a failure (database away) keeps the keys already loaded. */
  private async refresh(): Promise<void> {
    try {
      await this.reload();
    } catch (error) {
      if (this.refreshTimer) {
        this.logger.warn(`Could not reload signing keys: ${(error as Error).message}`);
      }
    }
  }

  private async reload(): Promise<void> {
    const all: SigningKeyHeader[] = await this.keys.find({
      select: { kid: true, generation: true, publicJwk: true, createdAt: true },
      order: { generation: 'DESC' },
    });
    const newest = all[0];
    if (!newest) throw new Error('No signing key in the database');
    if (this.active?.kid !== newest.kid) {
      const row = await this.keys.findOneOrFail({
        select: { kid: true, privateKey: true },
        where: { kid: newest.kid },
      });
      this.active = {
        kid: newest.kid,
        algorithm: SIGNING_ALGORITHM,
        privateKey: this.unseal(row.kid, row.privateKey),
      };
    }
    // A key retires when its successor is created; it verifies for `retentionMs` after that.
    const now = Date.now();
    const verifying = all.filter((_key, index) => {
      const successor = all[index - 1];
      return !successor || successor.createdAt.getTime() + this.retentionMs > now;
    });
    const jwks = verifying.map((key) => JSON.parse(key.publicJwk) as PublicJwk);
    this.publicKeys = new Map(
      jwks.map((jwk) => [jwk.kid, createPublicKey({ key: { ...jwk }, format: 'jwk' })]),
    );
    this.jwks = jwks;
  }
}
