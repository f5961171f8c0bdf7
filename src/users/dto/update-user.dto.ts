import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsIn, IsOptional, IsString, MaxLength, ValidateIf } from 'class-validator';
import type { UserRole } from '../user.entity';
import { UserRolesField } from './user-roles.field';
import { USER_STATUSES, type UserStatus } from '../user.entity';

export class UpdateUserDto {
  @ApiPropertyOptional({
    enum: USER_STATUSES,
    description: '`active` also clears a lockout and the failure counter',
  })
  @IsOptional()
  @IsIn(USER_STATUSES)
  status?: UserStatus;

  @ApiPropertyOptional({ nullable: true, example: 'alice@example.com' })
  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @IsEmail()
  @MaxLength(320)
  email?: string | null;

  @ApiPropertyOptional({
    nullable: true,
    example: '13800138000',
    description: 'Normalised to E.164 (DEFAULT_PHONE_REGION)',
  })
  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @IsString()
  @MaxLength(32)
  phone_number?: string | null;

  @ApiPropertyOptional({ nullable: true, example: '张三' })
  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @IsString()
  @MaxLength(255)
  name?: string | null;

  @UserRolesField()
  roles?: UserRole[];
}
