import { Controller, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth } from '../auth/decorators/auth.decorator';
import { SigningKeyResponseDto } from './dto/signing-key-response.dto';
import { SigningKeyService } from './signing-key.service';

/** The administrator's key operations. */
@ApiTags('Admin: keys')
@Auth('bearer', { scopes: ['admin'] })
@Controller('admin/keys')
export class AdminKeysController {
  constructor(private readonly signingKeys: SigningKeyService) {}

  @Post('rotate')
  @ApiOperation({
    summary: 'Rotate the token signing key',
    description:
      'A new ES256 key signs from now on (on every replica within 5 s). Previous keys stay in the JWKS and keep verifying until every token they signed has expired.',
  })
  @ApiCreatedResponse({ type: SigningKeyResponseDto })
  async rotate(): Promise<SigningKeyResponseDto> {
    const key = await this.signingKeys.rotate();
    return { kid: key.kid, algorithm: key.algorithm, created_at: key.createdAt.toISOString() };
  }
}
