import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { Optional } from '../../../../common/validation/optional.decorator';

/** `POST /api/v2/tenant/users` (API.md §3). */
export class IdaasTenantCreateUserRequest {
  @ApiProperty({ example: 'zhangsan', description: 'Unique, case-insensitive' })
  @IsString()
  @MinLength(1)
  @MaxLength(255)
  @Matches(/^[^\s@]+$/u, { message: 'user_name must not contain spaces or @' })
  user_name!: string;

  @ApiPropertyOptional({
    example: '13800138000',
    description: 'Unique; stored in E.164 (a number without `+` is read in DEFAULT_PHONE_REGION)',
  })
  @Optional()
  @IsString()
  @MaxLength(32)
  mobile?: string;

  @ApiPropertyOptional({ example: 'zhangsan@example.com', description: 'Unique' })
  @Optional()
  @IsEmail()
  @MaxLength(320)
  email?: string;

  @ApiPropertyOptional({ example: '张三', description: 'Display or real name' })
  @Optional()
  @IsString()
  @MaxLength(255)
  name?: string;

  @ApiPropertyOptional({
    description:
      'Initial password (policy applies). Without one the user signs in with one-time codes ' +
      'until a first password is set.',
  })
  @Optional()
  @IsString()
  @MinLength(1)
  @MaxLength(1024)
  password?: string;
}
