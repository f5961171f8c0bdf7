import { Column, Entity, PrimaryColumn } from 'typeorm';
import { TimestampColumn } from '../../database/columns';

/** A user's sign-in at one client; the family of its refresh tokens and the `sid` of its JWTs. */
@Entity('sessions')
export class Session {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ name: 'user_id', type: 'varchar', length: 36 })
  userId!: string;

  @Column({ name: 'client_id', type: 'varchar', length: 64 })
  clientId!: string;

  @Column({ type: 'varchar', length: 1000 })
  scope!: string;

  @Column({ name: 'credential_version', type: 'int' })
  credentialVersion!: number;

  /**
   * Signed in with a password that must be changed (or has expired): every token of the session,
   * refreshed or opaque, works only on password-change routes. A change bumps the credential
   * version, which ends the session.
   */
  @Column({ name: 'password_change_required', type: 'boolean', default: false })
  passwordChangeRequired!: boolean;

  @TimestampColumn('created_at')
  createdAt!: Date;

  @TimestampColumn('expires_at')
  expiresAt!: Date;

  @TimestampColumn('revoked_at', { nullable: true })
  revokedAt!: Date | null;
}
