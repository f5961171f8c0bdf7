import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsString, MaxLength } from 'class-validator';
import { Optional } from '../../../../common/validation/optional.decorator';

/**
 * The query string of `POST /api/v2/tenant/token` (API.md §3). The credentials are read by the
 * `idaas-query-client` scheme before this is validated; they are listed so that the whitelist
 * admits them and Swagger shows them.
 */
export class IdaasTenantTokenQuery {
  @ApiProperty({ enum: ['client_credentials'], example: 'client_credentials' })
  @IsIn(['client_credentials'])
  grant_type!: 'client_credentials';

  @ApiProperty({ description: 'Client id of an `m2m` application with the `admin` scope' })
  @IsString()
  @MaxLength(64)
  client_id!: string;

  @ApiProperty({ description: "The application's client secret" })
  @IsString()
  @MaxLength(1024)
  client_secret!: string;

  @ApiPropertyOptional({
    enum: ['all'],
    description: 'The only scope the tenant API has; the token is good for every tenant route',
  })
  @Optional()
  @IsIn(['all'])
  scope?: 'all';
}
