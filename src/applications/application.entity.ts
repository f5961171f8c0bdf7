import { Column, Entity, PrimaryColumn } from 'typeorm';
import { TimestampColumn } from '../database/columns';

/**
 * The algorithms an application may choose for its ID tokens (`id_token_signed_response_alg`,
 * OIDC Dynamic Client Registration §2); RS256 is the default (OIDC Core §15.1).
 */
export const ID_TOKEN_ALGORITHMS = ['RS256', 'ES256'] as const;
export type IdTokenAlgorithm = (typeof ID_TOKEN_ALGORITHMS)[number];
export const DEFAULT_ID_TOKEN_ALGORITHM: IdTokenAlgorithm = 'RS256';

export const APPLICATION_TYPES = ['web', 'spa', 'mobile', 'm2m'] as const;
export type ApplicationType = (typeof APPLICATION_TYPES)[number];

/** Confidential clients hold a secret; public ones (spa, mobile) cannot keep one. */
export const isConfidential = (type: ApplicationType): boolean => type === 'web' || type === 'm2m';

@Entity('applications')
export class Application {
  @PrimaryColumn({ name: 'client_id', type: 'varchar', length: 64 })
  clientId!: string;

  @Column({ type: 'varchar', length: 200 })
  name!: string;

  @Column({ type: 'varchar', length: 16 })
  type!: ApplicationType;

  /** HMAC-SHA256 of the secret (hex); null for public clients. */
  @Column({ name: 'secret_digest', type: 'varchar', length: 128, nullable: true })
  secretDigest!: string | null;

  /** Space-separated, as in OAuth `scope`. */
  @Column({ type: 'varchar', length: 1000 })
  scopes!: string;

  /** How this application's ID tokens are signed. */
  @Column({
    name: 'id_token_signed_response_alg',
    type: 'varchar',
    length: 16,
    default: DEFAULT_ID_TOKEN_ALGORITHM,
  })
  idTokenSignedResponseAlg!: IdTokenAlgorithm;

  @TimestampColumn('created_at')
  createdAt!: Date;

  @TimestampColumn('updated_at')
  updatedAt!: Date;
}
