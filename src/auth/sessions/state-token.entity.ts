import { Column, Entity, PrimaryColumn } from 'typeorm';
import { TimestampColumn } from '../../database/columns';

/**
 * A short-lived, single-use token that lets a user who proved the password at sign-in finish a
 * forced change (IDaaS `X-state-token`); stored only as its digest.
 */
@Entity('state_tokens')
export class StateToken {
  @PrimaryColumn({ name: 'token_digest', type: 'varchar', length: 64 })
  tokenDigest!: string;

  @Column({ name: 'user_id', type: 'varchar', length: 36 })
  userId!: string;

  @Column({ name: 'client_id', type: 'varchar', length: 64 })
  clientId!: string;

  /** The user's credential version when issued; a password write kills the token. */
  @Column({ name: 'credential_version', type: 'int' })
  credentialVersion!: number;

  /** Why it was issued, e.g. `password_expired` or `password_warn`. */
  @Column({ type: 'varchar', length: 32 })
  purpose!: string;

  @TimestampColumn('created_at')
  createdAt!: Date;

  @TimestampColumn('expires_at')
  expiresAt!: Date;

  @TimestampColumn('used_at', { nullable: true })
  usedAt!: Date | null;
}
