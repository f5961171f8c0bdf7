import { Column, Entity, PrimaryColumn } from 'typeorm';
import { TimestampColumn } from '../database/columns';

/** Stored policy settings: scope `realm`, or `app:<client_id>` for an application's override. */
@Entity('password_policies')
export class PasswordPolicyRecord {
  @PrimaryColumn({ type: 'varchar', length: 80 })
  scope!: string;

  /** JSON object of the fields that are set (partial for overrides). */
  @Column({ type: 'text' })
  settings!: string;

  @TimestampColumn('updated_at')
  updatedAt!: Date;
}
