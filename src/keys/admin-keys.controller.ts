import { Controller, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth } from '../auth/decorators/auth.decorator';
import { RotatedSigningKeysResponseDto } from './dto/signing-key-response.dto';
import { SigningKeyService } from './signing-key.service';

/** The administrator's key operations. */
@ApiTags('Admin: keys')
@Auth('bearer', { scopes: ['admin'] })
@Controller('admin/keys')
export class AdminKeysController {
  constructor(private readonly signingKeys: SigningKeyService) {}

  @Post('rotate')
  @ApiOperation({
    summary: 'Rotate the token signing keys',
    description:
      'A new ES256 key (access tokens, and ID tokens of applications that chose ES256) and a new RS256 key (ID tokens) sign from now on (on every replica within 5 s). Previous keys stay in the JWKS and keep verifying until every token they signed has expired.',
  })
  @ApiCreatedResponse({ type: RotatedSigningKeysResponseDto })
  async rotate(): Promise<RotatedSigningKeysResponseDto> {
    const keys = await this.signingKeys.rotate();
    return {
      keys: keys.map((key) => ({
        kid: key.kid,
        algorithm: key.algorithm,
        created_at: key.createdAt.toISOString(),
      })),
    };
  }
}
