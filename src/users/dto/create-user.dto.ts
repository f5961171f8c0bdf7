import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsEmail, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { Optional } from '../../common/validation/optional.decorator';
import type { UserRole } from '../user.entity';
import { UserRolesField } from './user-roles.field';

export class CreateUserDto {
  @ApiProperty({ example: 'alice', description: 'Unique, case-insensitive' })
  @IsString()
  @MinLength(1)
  @MaxLength(255)
  @Matches(/^[^\s@]+$/u, { message: 'username must not contain spaces or @' })
  username!: string;

  @ApiPropertyOptional({ example: 'alice@example.com' })
  @Optional()
  @IsEmail()
  @MaxLength(320)
  email?: string;

  @ApiPropertyOptional({
    example: '13800138000',
    description: 'Normalised to E.164 (DEFAULT_PHONE_REGION)',
  })
  @Optional()
  @IsString()
  @MaxLength(32)
  phone_number?: string;

  @ApiPropertyOptional({ example: '张三' })
  @Optional()
  @IsString()
  @MaxLength(255)
  name?: string;

  @ApiPropertyOptional({
    example: 'Correct-Horse-7',
    description: 'Optional; must satisfy the password policy',
  })
  @Optional()
  @IsString()
  @MinLength(1)
  @MaxLength(1024)
  password?: string;

  @ApiPropertyOptional({ default: false })
  @Optional()
  @IsBoolean()
  must_change_password?: boolean;

  @UserRolesField()
  roles?: UserRole[];
}
