import { ApiProperty } from '@nestjs/swagger';
import { USER_ROLES, USER_STATUSES, type UserRole, type UserStatus } from '../user.entity';

/** A user as every API shows it (API.md §1); never a hash or an internal counter. */
export class UserResponseDto {
  @ApiProperty({ example: '0b6c7f5e-2d0a-4a57-9a53-2f6f3c1d9e10' }) user_id!: string;
  @ApiProperty({ example: 'alice' }) username!: string;
  @ApiProperty({ nullable: true, type: String, example: 'alice@example.com' }) email!:
    string | null;
  @ApiProperty({ nullable: true, type: String, example: '+8613800138000', description: 'E.164' })
  phone_number!: string | null;
  @ApiProperty({ nullable: true, type: String, example: '张三' }) name!: string | null;
  @ApiProperty({ enum: USER_STATUSES, example: 'active' }) status!: UserStatus;
  @ApiProperty({ type: [String], enum: USER_ROLES, example: [] }) roles!: UserRole[];
  @ApiProperty({ example: true }) has_password!: boolean;
  @ApiProperty({ example: false }) must_change_password!: boolean;
  @ApiProperty({ nullable: true, type: String, example: '2026-11-23T08:00:00.000Z' })
  password_changed_at!: string | null;
  @ApiProperty({
    nullable: true,
    type: String,
    example: null,
    description:
      'When the password expires under the policy (max_age_days); null when it never does',
  })
  password_expires_at!: string | null;
  @ApiProperty({ example: '2026-11-23T08:00:00.000Z' }) created_at!: string;
  @ApiProperty({ example: '2026-11-23T08:00:00.000Z' }) updated_at!: string;
}

export class UserListResponseDto {
  @ApiProperty({ type: [UserResponseDto] }) users!: UserResponseDto[];
  @ApiProperty({ nullable: true, type: String, description: 'Pass as `cursor` for the next page' })
  next_cursor!: string | null;
}
