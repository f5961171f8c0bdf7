import { Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AppConfig } from '../config/app.config';
import { ID_TOKEN_ALGORITHMS } from '../applications/application.entity';
import { SigningKeyService } from '../keys/signing-key.service';
import { Public } from './decorators/public.decorator';
import { GrantRegistry } from './grants/grant-handler';

@ApiTags('OAuth 2.0 / OpenID Connect')
@Public()
@Controller('.well-known')
export class WellKnownController {
  constructor(
    private readonly config: AppConfig,
    private readonly keys: SigningKeyService,
    private readonly grants: GrantRegistry,
  ) {}

  @Get('openid-configuration')
  @Header('Cache-Control', 'public, max-age=300')
  @ApiOperation({ summary: 'OpenID Provider metadata (OpenID Connect Discovery 1.0)' })
  @ApiOkResponse({
    schema: {
      example: {
        issuer: 'http://localhost:3000',
        token_endpoint: 'http://localhost:3000/oauth2/token',
      },
    },
  })
  discovery(): Record<string, unknown> {
    return this.metadata();
  }

  /** RFC 8414: the same metadata for OAuth clients that look here rather than at OIDC's path. */
  @Get('oauth-authorization-server')
  @Header('Cache-Control', 'public, max-age=300')
  @ApiOperation({ summary: 'OAuth 2.0 Authorization Server metadata (RFC 8414)' })
  @ApiOkResponse({
    schema: {
      example: {
        issuer: 'http://localhost:3000',
        token_endpoint: 'http://localhost:3000/oauth2/token',
      },
    },
  })
  authorizationServer(): Record<string, unknown> {
    return this.metadata();
  }

  /**
   * Advertises only what exists. There is no authorization endpoint, so no response type (RFC 8414
   * §2 lists them for the authorization endpoint only; an empty list is the truthful value of a
   * required field) and no `authorization_endpoint` (RFC 8414 §2: required only when a grant uses
   * it). `request_uri_parameter_supported` defaults to true (Discovery §3), so it is said false.
   */
  private metadata(): Record<string, unknown> {
    const issuer = this.config.issuer;
    return {
      issuer,
      token_endpoint: `${issuer}/oauth2/token`,
      revocation_endpoint: `${issuer}/oauth2/revoke`,
      userinfo_endpoint: `${issuer}/oauth2/userinfo`,
      jwks_uri: `${issuer}/.well-known/jwks.json`,
      grant_types_supported: this.grants.supported,
      response_types_supported: [],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: [...ID_TOKEN_ALGORITHMS],
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'none'],
      revocation_endpoint_auth_methods_supported: [
        'client_secret_basic',
        'client_secret_post',
        'none',
      ],
      request_uri_parameter_supported: false,
      scopes_supported: ['openid', 'profile', 'email', 'phone', 'admin'],
      claims_supported: [
        'sub',
        'iss',
        'aud',
        'exp',
        'iat',
        'auth_time',
        'sid',
        'preferred_username',
        'name',
        'email',
        'phone_number',
      ],
    };
  }

  @Get('jwks.json')
  @Header('Cache-Control', 'public, max-age=300')
  @ApiOperation({ summary: 'Public keys that verify access and ID tokens' })
  @ApiOkResponse({
    schema: {
      example: {
        keys: [{ kty: 'EC', crv: 'P-256', kid: '…', alg: 'ES256', use: 'sig', x: '…', y: '…' }],
      },
    },
  })
  jwks(): { keys: unknown[] } {
    return this.keys.publicJwks();
  }
}
