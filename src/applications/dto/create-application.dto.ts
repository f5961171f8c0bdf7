import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsString,
  Matches,
  MaxLength,
  MinLength,
} from 'class-validator';
import { Optional } from '../../common/validation/optional.decorator';
import {
  APPLICATION_TYPES,
  type ApplicationType,
  ID_TOKEN_ALGORITHMS,
  type IdTokenAlgorithm,
} from '../application.entity';

/** OIDC Dynamic Client Registration §2's `id_token_signed_response_alg`, as the admin API takes it. */
export const ID_TOKEN_ALGORITHM_PROPERTY = {
  enum: ID_TOKEN_ALGORITHMS,
  example: 'RS256',
  description:
    'Algorithm of the ID tokens issued to this application: RS256 (default; OIDC Core §15.1) or ES256',
} as const;

export class CreateApplicationDto {
  @ApiProperty({ example: 'Customer portal' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name!: string;

  @ApiProperty({
    enum: APPLICATION_TYPES,
    example: 'web',
    description: 'web and m2m get a secret; spa and mobile are public clients',
  })
  @IsIn(APPLICATION_TYPES)
  type!: ApplicationType;

  @ApiPropertyOptional({
    type: [String],
    example: ['openid', 'profile'],
    description: 'Scopes the client may be granted; default openid profile (none for m2m)',
  })
  @Optional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @Matches(/^[\x21\x23-\x5b\x5d-\x7e]{1,64}$/, {
    each: true,
    message: 'each scope must be an RFC 6749 scope token',
  })
  scopes?: string[];

  @ApiPropertyOptional(ID_TOKEN_ALGORITHM_PROPERTY)
  @Optional()
  @IsIn(ID_TOKEN_ALGORITHMS)
  id_token_signed_response_alg?: IdTokenAlgorithm;
}
