import {
  createPrivateKey,
  createPublicKey,
  generateKeyPair,
  type KeyObject,
  randomUUID,
} from 'node:crypto';
import { promisify } from 'node:util';
import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { AppConfig } from '../config/app.config';
import { isUniqueViolation } from '../database/unique-violation';
import { KeyDerivationService } from './key-derivation.service';
import { KeyEnvelope, KeyEnvelopeError } from './key-envelope';
import { RsaSigningKey } from './rsa-signing-key.entity';
import { SigningKey, type SigningKeyColumns } from './signing-key.entity';

/** The algorithms Tessera signs with, one key series each; the JWKS carries the newest of each. */
export const SIGNING_ALGORITHMS = ['ES256', 'RS256'] as const;
export type SigningAlgorithm = (typeof SIGNING_ALGORITHMS)[number];

/** Access tokens (and every dialect's JWTs) are ES256: short signatures, fast to verify. */
export const ACCESS_TOKEN_ALGORITHM = 'ES256' satisfies SigningAlgorithm;

/** RSA key size: NIST SP 800-57's 112-bit security level, what RS256 verifiers expect. */
const RSA_MODULUS_BITS = 2048;

const generateKeyPairAsync = promisify(generateKeyPair);

/**
 * A new key pair for `algorithm`. Off the event loop: an RSA key takes from 100 ms to a second of
 * CPU, which would stall every request of a replica rotating its keys.
 */
function newKeyPair(
  algorithm: SigningAlgorithm,
): Promise<{ privateKey: KeyObject; publicKey: KeyObject }> {
  return algorithm === 'RS256'
    ? generateKeyPairAsync('rsa', { modulusLength: RSA_MODULUS_BITS })
    : generateKeyPairAsync('ec', { namedCurve: 'P-256' });
}

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
  algorithm: SigningAlgorithm;
  privateKey: KeyObject;
}

export interface SigningKeyInfo {
  kid: string;
  algorithm: SigningAlgorithm;
  createdAt: Date;
}

/** A verification key and the one algorithm it may verify (no algorithm confusion). */
export interface VerificationKey {
  algorithm: SigningAlgorithm;
  publicKey: KeyObject;
}

export interface PublicJwk {
  kid: string;
  kty: string;
  crv?: string;
  x?: string;
  y?: string;
  n?: string;
  e?: string;
  alg: SigningAlgorithm;
  use: 'sig';
}

type SigningKeyHeader = Pick<SigningKeyColumns, 'kid' | 'generation' | 'publicJwk' | 'createdAt'>;

/**
 * Signing keys, one series per algorithm (ES256 for access tokens, RS256 for ID tokens by
 * default), generated on first start and kept in the database so that every replica signs and
 * verifies alike; the private keys are sealed with AES-256-GCM under a key derived from
 * `SECRET_KEY`, so a database dump alone cannot sign. In each series the newest generation signs;
 * a retired key keeps verifying (and stays in the JWKS) until every token it can have signed has
 * expired. Each series has its own table (see RsaSigningKey) with unique generation numbers:
 * replicas racing on an empty table all end up with the key of whichever insert won, and
 * concurrent rotations each get their own generation.
 */
@Injectable()
export class SigningKeyService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(SigningKeyService.name);
  /** One table per series (see RsaSigningKey for why they are apart). */
  private readonly tables: Record<SigningAlgorithm, Repository<SigningKeyColumns>>;
  private readonly envelope: KeyEnvelope;
  private readonly retentionMs: number;
  private readonly active = new Map<SigningAlgorithm, ActiveSigningKey>();
  private lastUnknownKidReload = 0;
  private publicKeys = new Map<string, VerificationKey>();
  private jwks: PublicJwk[] = [];
  private refreshTimer?: NodeJS.Timeout;

  constructor(
    @InjectRepository(SigningKey) esKeys: Repository<SigningKey>,
    @InjectRepository(RsaSigningKey) rsaKeys: Repository<RsaSigningKey>,
    derivation: KeyDerivationService,
    config: AppConfig,
  ) {
    this.tables = { ES256: esKeys, RS256: rsaKeys };
    this.envelope = new KeyEnvelope(derivation.derive(SIGNING_KEY_ENCRYPTION_INFO));
    // Access (or dialect) token lifetime + ID token lifetime (the access token TTL), after the
    // moment the key stopped signing.
    const longestTtl = Math.max(config.accessTokenTtlSeconds, LONGEST_DIALECT_TOKEN_TTL_SECONDS);
    this.retentionMs = (longestTtl + config.accessTokenTtlSeconds) * 1000;
  }

  async onModuleInit(): Promise<void> {
    // A database written before RS256 existed holds ES256 keys only: its RSA series starts now.
    for (const algorithm of SIGNING_ALGORITHMS) await this.ensureSeries(algorithm);
    await this.sealPlaintextKeys();
    await this.reload();
    this.refreshTimer = setInterval(() => void this.refresh(), SIGNING_KEY_REFRESH_INTERVAL_MS);
    this.refreshTimer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.refreshTimer);
    this.refreshTimer = undefined;
  }

  /** The key of `algorithm` that signs now: the newest generation of it this replica has seen. */
  current(algorithm: SigningAlgorithm = ACCESS_TOKEN_ALGORITHM): ActiveSigningKey {
    const active = this.active.get(algorithm);
    if (!active) throw new Error('SigningKeyService used before initialisation');
    return active;
  }

  /**
   * Adds a new generation of every series, which signs from now on (here at once, on other
   * replicas within `SIGNING_KEY_REFRESH_INTERVAL_MS`); the previous keys keep verifying until
   * their tokens expire.
   */
  async rotate(): Promise<SigningKeyInfo[]> {
    const created: SigningKeyInfo[] = [];
    for (const algorithm of SIGNING_ALGORITHMS) created.push(await this.addGeneration(algorithm));
    await this.reload();
    return created;
  }

  /**
   * The public key for a `kid`, reloading if another replica may have added one since; at most
   * once every few seconds, so tokens with made-up `kid`s cannot turn into a query each.
   */
  async publicKey(kid: string): Promise<KeyObject | undefined> {
    return (await this.verificationKey(kid))?.publicKey;
  }

  /** {@link publicKey} with the algorithm the key verifies. */
  async verificationKey(kid: string): Promise<VerificationKey | undefined> {
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
    return this.publicKeys.get(kid)?.publicKey;
  }

  /** {@link publicKeyIfKnown} with the algorithm the key verifies. */
  verificationKeyIfKnown(kid: string): VerificationKey | undefined {
    return this.publicKeys.get(kid);
  }

  /** Every key still valid for verification: the ES256 series, then RS256, each newest first. */
  publicJwks(): { keys: PublicJwk[] } {
    return { keys: this.jwks };
  }

  /**
   * Starts the series of `algorithm` when it has no key yet. Replicas starting together on an
   * empty table all end up with the key of whichever insert won (generation numbers are unique).
   */
  private async ensureSeries(algorithm: SigningAlgorithm): Promise<void> {
    const table = this.tables[algorithm];
    for (let attempt = 0; attempt < 5; attempt++) {
      if ((await table.countBy({ algorithm })) > 0) return;
      if (await this.createKey(algorithm, 1)) return;
    }
    throw new Error(`Could not create the first ${algorithm} signing key`);
  }

  /** A new key of `algorithm` under the next free generation number of its series. */
  private async addGeneration(algorithm: SigningAlgorithm): Promise<SigningKeyInfo> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const [newest] = await this.tables[algorithm].find({
        order: { generation: 'DESC' },
        take: 1,
      });
      const created = await this.createKey(algorithm, (newest?.generation ?? 0) + 1);
      if (created) return created;
    }
    throw new Error('Could not add a signing key generation: too many concurrent rotations');
  }

  private async createKey(
    algorithm: SigningAlgorithm,
    generation: number,
  ): Promise<SigningKeyInfo | undefined> {
    const { privateKey, publicKey } = await newKeyPair(algorithm);
    const kid = randomUUID();
    const jwk = publicKey.export({ format: 'jwk' });
    const createdAt = new Date();
    try {
      await this.tables[algorithm].insert({
        kid,
        generation,
        algorithm,
        privateKey: this.seal(kid, privateKey),
        publicJwk: JSON.stringify({ ...jwk, kid, alg: algorithm, use: 'sig' }),
        createdAt,
      });
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      return undefined;
    }
    return { kid, algorithm, createdAt };
  }

  /**
   * Rows written before keys were sealed (plaintext PEM) are sealed on first start; the update is
   * conditional on the old value, so replicas starting together seal each row once.
   */
  private async sealPlaintextKeys(): Promise<void> {
    const keys = this.tables.ES256;
    const rows = await keys.find({ select: { kid: true, privateKey: true } });
    for (const row of rows) {
      if (KeyEnvelope.isSealed(row.privateKey)) continue;
      const sealed = this.seal(row.kid, createPrivateKey(row.privateKey));
      await keys.update({ kid: row.kid, privateKey: row.privateKey }, { privateKey: sealed });
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
    const now = Date.now();
    const jwks: PublicJwk[] = [];
    const publicKeys = new Map<string, VerificationKey>();
    for (const algorithm of SIGNING_ALGORITHMS) {
      const table = this.tables[algorithm];
      // Filtered by algorithm too: a key of another algorithm must never sign for this series.
      const series: SigningKeyHeader[] = await table.find({
        select: { kid: true, generation: true, publicJwk: true, createdAt: true },
        where: { algorithm },
        order: { generation: 'DESC' },
      });
      const newest = series[0];
      if (!newest) throw new Error(`No ${algorithm} signing key in the database`);
      if (this.active.get(algorithm)?.kid !== newest.kid) {
        const row = await table.findOneOrFail({
          select: { kid: true, privateKey: true },
          where: { kid: newest.kid },
        });
        this.active.set(algorithm, {
          kid: newest.kid,
          algorithm,
          privateKey: this.unseal(row.kid, row.privateKey),
        });
      }
      // A key retires when its successor in the series is created; it verifies for
      // `retentionMs` after that.
      const verifying = series.filter((_key, index) => {
        const successor = series[index - 1];
        return !successor || successor.createdAt.getTime() + this.retentionMs > now;
      });
      for (const key of verifying) {
        const jwk = JSON.parse(key.publicJwk) as PublicJwk;
        jwks.push(jwk);
        publicKeys.set(jwk.kid, {
          algorithm,
          publicKey: createPublicKey({ key: { ...jwk }, format: 'jwk' }),
        });
      }
    }
    this.publicKeys = publicKeys;
    this.jwks = jwks;
  }
}
