import { Column, Entity, PrimaryColumn } from 'typeorm';
import { TimestampColumn } from '../database/columns';

/**
 * A send counter for one throttle key (an HMAC of kind, usage and target, so the table holds no
 * addresses). Moved only by conditional UPDATEs, so every replica shares the same limit.
 */
@Entity('otp_send_throttles')
export class OtpSendThrottle {
  @PrimaryColumn({ name: 'throttle_key', type: 'varchar', length: 64 })
  throttleKey!: string;

  @TimestampColumn('window_started_at')
  windowStartedAt!: Date;

  @Column({ type: 'int', default: 0 })
  sends!: number;
}
