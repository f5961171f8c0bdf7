import { Column, Entity, PrimaryColumn } from 'typeorm';
import { TimestampColumn } from '../../database/columns';

/** An opaque bearer token (e.g. Keystone-style `X-Auth-Token`), stored only as its digest. */
@Entity('opaque_tokens')
export class OpaqueToken {
  @PrimaryColumn({ name: 'token_digest', type: 'varchar', length: 64 })
  tokenDigest!: string;

  @Column({ name: 'user_id', type: 'varchar', length: 36 })
  userId!: string;

  @Column({ name: 'session_id', type: 'varchar', length: 36, nullable: true })
  sessionId!: string | null;

  @Column({ name: 'client_id', type: 'varchar', length: 64, nullable: true })
  clientId!: string | null;

  @Column({ type: 'varchar', length: 1000 })
  scope!: string;

  /** Space-separated authentication methods, e.g. `password`. */
  @Column({ type: 'varchar', length: 200 })
  methods!: string;

  /** What the issuing dialect needs to describe the token again (e.g. Keystone's scope), as JSON. */
  @Column({ type: 'text', nullable: true })
  context!: string | null;

  @Column({ name: 'credential_version', type: 'int' })
  credentialVersion!: number;

  @TimestampColumn('created_at')
  createdAt!: Date;

  @TimestampColumn('expires_at')
  expiresAt!: Date;

  @TimestampColumn('revoked_at', { nullable: true })
  revokedAt!: Date | null;
}
