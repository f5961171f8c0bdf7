import { Column, Entity, PrimaryColumn } from 'typeorm';
import { TimestampColumn } from '../database/columns';

/** The columns of a table of signing keys; each algorithm's series has a table of its own. */
export abstract class SigningKeyColumns {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  kid!: string;

  @Column({ type: 'int', unique: true })
  generation!: number;

  @Column({ type: 'varchar', length: 16 })
  algorithm!: string;

  /**
   * PKCS#8 DER sealed with AES-256-GCM under a key derived from `SECRET_KEY`
   * (`v1:<nonce>:<ciphertext>:<tag>`, see KeyEnvelope); never plaintext once a replica has started.
   */
  @Column({ name: 'private_key', type: 'text' })
  privateKey!: string;

  /** JSON of the public JWK. */
  @Column({ name: 'public_jwk', type: 'text' })
  publicJwk!: string;

  @TimestampColumn('created_at')
  createdAt!: Date;
}

/** ES256 keys: access tokens, every dialect's JWTs, and the ID tokens of applications that chose ES256. */
@Entity('signing_keys')
export class SigningKey extends SigningKeyColumns {}
