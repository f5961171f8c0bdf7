import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { TimestampColumn } from '../database/columns';

export const PASSWORD_CHANGE_REASONS = ['initial', 'change', 'reset', 'admin'] as const;
export type PasswordChangeReason = (typeof PASSWORD_CHANGE_REASONS)[number];

/** One password a user has had; the newest entry is the current password. */
@Entity('password_history')
export class PasswordHistoryEntry {
  @PrimaryGeneratedColumn('increment')
  id!: number;

  @Column({ name: 'user_id', type: 'varchar', length: 36 })
  userId!: string;

  @Column({ name: 'password_hash', type: 'varchar', length: 100 })
  passwordHash!: string;

  @Column({ type: 'varchar', length: 16 })
  reason!: PasswordChangeReason;

  @TimestampColumn('changed_at')
  changedAt!: Date;
}
