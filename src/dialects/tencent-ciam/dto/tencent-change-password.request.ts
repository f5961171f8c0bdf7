import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';

/** Seed 000 request body. */
export class TencentChangePasswordRequest {
  @ApiProperty({ description: 'Old password.', example: 'MOCK_PASSWORD' })
  @IsString()
  @MinLength(1)
  @MaxLength(1024)
  old_password!: string;

  @ApiProperty({ description: 'New password.', example: 'MOCK_NEW_PASSWORD' })
  @IsString()
  @MinLength(1)
  @MaxLength(1024)
  new_password!: string;
}
