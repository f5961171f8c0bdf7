import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsString, MaxLength } from 'class-validator';
import { Optional } from '../../../common/validation/optional.decorator';

/**
 * Client credentials that Tencent accepts in the JSON body as well as in the Basic header; the
 * `client` guard reads them, the DTO only lets them through validation.
 */
export class TencentClientCredentialsFields {
  @ApiPropertyOptional({
    description: 'The client_id of the application (or in the Basic header).',
    example: 'TENANT_CLIENT_ID',
  })
  @Optional()
  @IsString()
  @MaxLength(64)
  client_id?: string;

  @ApiPropertyOptional({
    description:
      'The client_secret; required for web applications, not needed for SPA and mobile applications.',
    example: 'TENANT_CLIENT_SECRET',
  })
  @Optional()
  @IsString()
  @MaxLength(512)
  client_secret?: string;

  @ApiPropertyOptional({
    description:
      'Tencent authentication source id; accepted and ignored (one realm per deployment).',
  })
  @Optional()
  @IsString()
  @MaxLength(128)
  auth_source_id?: string;
}
