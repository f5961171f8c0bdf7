import { Column, Entity, PrimaryColumn } from 'typeorm';
import { TimestampColumn } from '../database/columns';

/** Named server secrets generated on first start and shared by every replica (e.g. the HMAC key). */
@Entity('key_material')
export class KeyMaterial {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  name!: string;

  @Column({ type: 'text' })
  value!: string;

  @TimestampColumn('created_at')
  createdAt!: Date;
}
