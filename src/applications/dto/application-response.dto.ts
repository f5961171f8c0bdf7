import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  APPLICATION_TYPES,
  type Application,
  type ApplicationType,
  ID_TOKEN_ALGORITHMS,
  type IdTokenAlgorithm,
} from '../application.entity';

export class ApplicationResponseDto {
  @ApiProperty({ example: '3f1c0d6e9b2a4c7d8e9f0a1b2c3d4e5f' })
  client_id!: string;

  @ApiPropertyOptional({
    description: 'Shown only in the response that created the application',
    example: 'q3Vb…',
  })
  client_secret?: string;

  @ApiProperty({ example: 'Customer portal' })
  name!: string;

  @ApiProperty({ enum: APPLICATION_TYPES })
  type!: ApplicationType;

  @ApiProperty({ type: [String], example: ['openid', 'profile'] })
  scopes!: string[];

  @ApiProperty({ enum: ID_TOKEN_ALGORITHMS, example: 'RS256' })
  id_token_signed_response_alg!: IdTokenAlgorithm;

  @ApiProperty({ example: '2026-11-23T08:00:00.000Z' })
  created_at!: string;

  static from(application: Application, clientSecret?: string): ApplicationResponseDto {
    return {
      client_id: application.clientId,
      ...(clientSecret ? { client_secret: clientSecret } : {}),
      name: application.name,
      type: application.type,
      scopes: application.scopes.split(' ').filter(Boolean),
      id_token_signed_response_alg: application.idTokenSignedResponseAlg,
      created_at: application.createdAt.toISOString(),
    };
  }
}
