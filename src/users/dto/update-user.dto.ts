import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsIn, IsString, MaxLength } from 'class-validator';
import { Optional, OptionalNullable } from '../../common/validation/optional.decorator';
import type { UserRole } from '../user.entity';
import { UserRolesField } from './user-roles.field';
import { USER_STATUSES, type UserStatus } from '../user.entity';

export class UpdateUserDto {
  @ApiPropertyOptional({
    enum: USER_STATUSES,
    description: '`active` also clears a lockout and the failure counter',
  })
  @Optional()
  @IsIn(USER_STATUSES)
  status?: UserStatus;

  @ApiPropertyOptional({ type: String, nullable: true, example: 'alice@example.com' })
  @OptionalNullable()
  @IsEmail()
  @MaxLength(320)
  email?: string | null;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    example: '13800138000',
    description: 'Normalised to E.164 (DEFAULT_PHONE_REGION)',
  })
  @OptionalNullable()
  @IsString()
  @MaxLength(32)
  phone_number?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, example: '张三' })
  @OptionalNullable()
  @IsString()
  @MaxLength(255)
  name?: string | null;

  @UserRolesField()
  roles?: UserRole[];
}
