import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsString, Max, MaxLength, Min } from 'class-validator';
import { Optional } from '../../common/validation/optional.decorator';

export class ListUsersQuery {
  @ApiPropertyOptional() @Optional() @IsString() @MaxLength(255) username?: string;
  @ApiPropertyOptional() @Optional() @IsString() @MaxLength(320) email?: string;
  @ApiPropertyOptional() @Optional() @IsString() @MaxLength(32) phone_number?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 20 })
  @Optional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;

  @ApiPropertyOptional({ description: 'next_cursor of the previous page' })
  @Optional()
  @IsString()
  @MaxLength(512)
  cursor?: string;
}
