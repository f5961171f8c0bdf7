import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';

/** `POST /api/v2/sdk/login`. */
export class IdaasLoginRequest {
  @ApiProperty({ description: 'Username, email or mobile number.', example: 'zhangsan' })
  @IsString()
  @MinLength(1)
  @MaxLength(320)
  user_name!: string;

  @ApiProperty({ description: 'Password.', example: 'aaaaaa' })
  @IsString()
  @MinLength(1)
  @MaxLength(1024)
  password!: string;
}
