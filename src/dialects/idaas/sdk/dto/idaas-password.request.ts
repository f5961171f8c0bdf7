import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsString, MaxLength } from 'class-validator';
import { Optional } from '../../../../common/validation/optional.decorator';

/**
 * `POST /api/v2/sdk/pwd/change` (seed 004) and `pwd/update`. Both fields may be left out on the
 * wire: their absence has its own codes (`PARAM.0018`, `PARAM.0019`), checked by the controller.
 */
export class IdaasChangePasswordRequest {
  @ApiPropertyOptional({
    description: 'The current password; may be omitted only when the user has none.',
    example: 'aaaaaa',
  })
  @Optional()
  @IsString()
  @MaxLength(1024)
  old_password?: string;

  @ApiProperty({ description: 'The new password.', example: 'bbbbbb' })
  @Optional()
  @IsString()
  @MaxLength(1024)
  new_password?: string;
}
