import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  randomUUID,
} from 'node:crypto';
import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { isUniqueViolation } from '../database/unique-violation';
import { SigningKey } from './signing-key.entity';

export const SIGNING_ALGORITHM = 'ES256';
const RELOAD_INTERVAL_MS = 5000;

export interface ActiveSigningKey {
  kid: string;
  algorithm: typeof SIGNING_ALGORITHM;
  privateKey: KeyObject;
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

/**
 * ES256 signing keys, generated on first start and kept in the database so that every replica
 * signs and verifies alike. Generation numbers are unique: replicas racing on an empty database
 * all end up with the key of whichever insert won.
 */
@Injectable()
export class SigningKeyService implements OnModuleInit {
  private active?: ActiveSigningKey;
  private lastReload = 0;
  private publicKeys = new Map<string, KeyObject>();
  private jwks: PublicJwk[] = [];

  constructor(@InjectRepository(SigningKey) private readonly keys: Repository<SigningKey>) {}

  async onModuleInit(): Promise<void> {
    if ((await this.keys.count()) === 0) await this.createKey(1);
    await this.reload();
  }

  current(): ActiveSigningKey {
    if (!this.active) throw new Error('SigningKeyService used before initialisation');
    return this.active;
  }

  /**
   * The public key for a `kid`, reloading if another replica may have added one since; at most
   * once every few seconds, so tokens with made-up `kid`s cannot turn into a query each.
   */
  async publicKey(kid: string): Promise<KeyObject | undefined> {
    if (!this.publicKeys.has(kid) && Date.now() - this.lastReload > RELOAD_INTERVAL_MS)
      await this.reload();
    return this.publicKeys.get(kid);
  }

  /** The public key for a `kid` already loaded, without touching the database. */
  publicKeyIfKnown(kid: string): KeyObject | undefined {
    return this.publicKeys.get(kid);
  }

  publicJwks(): { keys: PublicJwk[] } {
    return { keys: this.jwks };
  }

  private async createKey(generation: number): Promise<void> {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const kid = randomUUID();
    const jwk = publicKey.export({ format: 'jwk' });
    try {
      await this.keys.insert({
        kid,
        generation,
        algorithm: SIGNING_ALGORITHM,
        privateKey: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
        publicJwk: JSON.stringify({ ...jwk, kid, alg: SIGNING_ALGORITHM, use: 'sig' }),
        createdAt: new Date(),
      });
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
    }
  }

  private async reload(): Promise<void> {
    this.lastReload = Date.now();
    const all = await this.keys.find({ order: { generation: 'DESC' } });
    const newest = all[0];
    if (!newest) throw new Error('No signing key in the database');
    this.active = {
      kid: newest.kid,
      algorithm: SIGNING_ALGORITHM,
      privateKey: createPrivateKey(newest.privateKey),
    };
    this.jwks = all.map((key) => JSON.parse(key.publicJwk) as PublicJwk);
    this.publicKeys = new Map(
      this.jwks.map((jwk) => [jwk.kid, createPublicKey({ key: { ...jwk }, format: 'jwk' })]),
    );
  }
}
