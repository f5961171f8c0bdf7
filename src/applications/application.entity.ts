import { Column, Entity, PrimaryColumn } from 'typeorm';
import { TimestampColumn } from '../database/columns';

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

  @TimestampColumn('created_at')
  createdAt!: Date;

  @TimestampColumn('updated_at')
  updatedAt!: Date;
}
