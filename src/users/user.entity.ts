import { Column, Entity, PrimaryColumn } from 'typeorm';
import { TimestampColumn } from '../database/columns';

export const USER_STATUSES = ['active', 'frozen', 'locked'] as const;
export type UserStatus = (typeof USER_STATUSES)[number];

/** Roles an administrator can give a user; `admin` grants the admin API (API.md §4). */
export const USER_ROLES = ['admin'] as const;
export type UserRole = (typeof USER_ROLES)[number];

/** Stored space-separated, so the column stays a plain varchar on SQLite and MySQL. */
const rolesTransformer = {
  to: (roles: readonly UserRole[] | undefined): string =>
    [...new Set(roles ?? [])].sort().join(' '),
  from: (stored: string | null): UserRole[] =>
    (stored ?? '')
      .split(' ')
      .filter((role): role is UserRole => (USER_ROLES as readonly string[]).includes(role)),
};

@Entity('users')
export class User {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ type: 'varchar', length: 255 })
  username!: string;

  /** NFKC + lower case; the unique key that logins and uniqueness checks use. */
  @Column({ name: 'username_key', type: 'varchar', length: 255 })
  usernameKey!: string;

  /** Lower-cased. */
  @Column({ type: 'varchar', length: 320, nullable: true })
  email!: string | null;

  /** E.164. */
  @Column({ name: 'phone_number', type: 'varchar', length: 32, nullable: true })
  phoneNumber!: string | null;

  @Column({ type: 'varchar', length: 255, nullable: true })
  name!: string | null;

  @Column({ type: 'varchar', length: 255, default: '', transformer: rolesTransformer })
  roles!: UserRole[];

  /** Stored status; a `locked` user whose `lockedUntil` has passed is active again. */
  @Column({ type: 'varchar', length: 16 })
  status!: UserStatus;

  @Column({ name: 'password_hash', type: 'varchar', length: 100, nullable: true, select: true })
  passwordHash!: string | null;

  @Column({ name: 'must_change_password', type: 'boolean', default: false })
  mustChangePassword!: boolean;

  @TimestampColumn('password_changed_at', { nullable: true })
  passwordChangedAt!: Date | null;

  /** Bumped by every password change, reset or admin set; tokens carry it and die with it. */
  @Column({ name: 'credential_version', type: 'int', default: 0 })
  credentialVersion!: number;

  @Column({ name: 'failed_login_count', type: 'int', default: 0 })
  failedLoginCount!: number;

  @TimestampColumn('failed_login_window_started_at', { nullable: true })
  failedLoginWindowStartedAt!: Date | null;

  /** End of an automatic lockout; null with status `locked` means locked by an administrator. */
  @TimestampColumn('locked_until', { nullable: true })
  lockedUntil!: Date | null;

  @TimestampColumn('created_at')
  createdAt!: Date;

  @TimestampColumn('updated_at')
  updatedAt!: Date;
}
