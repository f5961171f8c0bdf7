import { Column, Entity, PrimaryColumn } from 'typeorm';
import { TimestampColumn } from '../database/columns';

export type OtpChannel = 'email' | 'sms';

/** A one-time code sent to a target; the `otp_token` and the code are stored only as HMACs. */
@Entity('otp_challenges')
export class OtpChallenge {
  @PrimaryColumn({ name: 'token_digest', type: 'varchar', length: 64 })
  tokenDigest!: string;

  @Column({ name: 'client_id', type: 'varchar', length: 64 })
  clientId!: string;

  @Column({ type: 'varchar', length: 8 })
  channel!: OtpChannel;

  /** Lower-cased email or E.164 phone number. */
  @Column({ type: 'varchar', length: 320 })
  target!: string;

  @Column({ type: 'varchar', length: 32 })
  usage!: string;

  @Column({ name: 'code_digest', type: 'varchar', length: 64 })
  codeDigest!: string;

  @Column({ type: 'int', default: 0 })
  attempts!: number;

  @TimestampColumn('created_at')
  createdAt!: Date;

  @TimestampColumn('expires_at')
  expiresAt!: Date;

  @TimestampColumn('used_at', { nullable: true })
  usedAt!: Date | null;
}
