import { Body, Controller, Get, Header, HttpCode, Post, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiConsumes,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { ApplicationsService } from '../applications/applications.service';
import { IdentityError, IdentityErrorCode } from '../common/errors/identity-error';
import { UsersService } from '../users/users.service';
import { ApiRateLimited } from '../common/http/api-errors.decorator';
import { Auth } from './decorators/auth.decorator';
import { CurrentClient, CurrentUser } from './decorators/current-principal.decorator';
import { GrantRegistry } from './grants/grant-handler';
import type { ClientPrincipal, UserPrincipal } from './principal';
import { TokenService, type TokenResponse } from './tokens/token.service';
import { RateLimit } from '../rate-limit/rate-limit.decorator';
import { bodyField } from '../rate-limit/rate-limit-account';

/** Grants without a user's credentials, which the sign-in rate limits leave alone. */
const MACHINE_GRANTS: ReadonlySet<string> = new Set(['client_credentials', 'refresh_token']);

/**
 * Swagger UI fills each form field with its property's example ("string" when there is none) and
 * sends every field, empty ones as `name=`. The password grant of the README's user is pre-filled;
 * optional fields start empty, and an empty parameter counts as omitted (RFC 6749 §3.2), whereas a
 * placeholder `client_secret` beside the Basic header is an error (§2.3). JSON bodies start from
 * the named examples below.
 */
const TOKEN_REQUEST_SCHEMA = {
  type: 'object',
  required: ['grant_type'],
  properties: {
    grant_type: {
      type: 'string',
      example: 'password',
      description:
        'client_credentials | password | refresh_token | the Tencent CIAM one-time-code grants',
    },
    username: {
      type: 'string',
      example: 'alice',
      description: 'password grant: username, email or phone number',
    },
    password: { type: 'string', example: 'Correct-Horse-7', description: 'password grant' },
    refresh_token: { type: 'string', example: '', description: 'refresh_token grant' },
    scope: {
      type: 'string',
      example: 'openid profile',
      description: 'Space-separated; defaults to what the application may be granted',
    },
    client_id: {
      type: 'string',
      example: '',
      description: 'Instead of HTTP Basic (never with it); alone for public clients (spa, mobile)',
    },
    client_secret: {
      type: 'string',
      example: '',
      description: 'With client_id, instead of HTTP Basic (confidential clients)',
    },
    auth_source_id: {
      type: 'string',
      example: '',
      description: 'Tencent CIAM; accepted and ignored',
    },
  },
};

const TOKEN_REQUEST_EXAMPLES = {
  password: {
    summary: 'password (web application; authorize with client-basic)',
    value: {
      grant_type: 'password',
      username: 'alice',
      password: 'Correct-Horse-7',
      scope: 'openid profile',
    },
  },
  password_public_client: {
    summary: 'password (spa or mobile application: client_id in the body, no secret)',
    value: {
      grant_type: 'password',
      client_id: 'YOUR_SPA_CLIENT_ID',
      username: 'alice',
      password: 'Correct-Horse-7',
      scope: 'openid profile',
    },
  },
  client_credentials: {
    summary: 'client_credentials (m2m application; authorize with client-basic)',
    value: { grant_type: 'client_credentials' },
  },
  refresh_token: {
    summary: 'refresh_token (authorize with client-basic)',
    value: { grant_type: 'refresh_token', refresh_token: 'YOUR_REFRESH_TOKEN' },
  },
};

/** Request parameters as strings; anything else is malformed. */
function stringParams(body: unknown): Record<string, string> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return {};
  const params: Record<string, string> = {};
  for (const [key, value] of Object.entries(body as Record<string, unknown>)) {
    if (typeof value !== 'string') {
      throw new IdentityError(IdentityErrorCode.INVALID_ARGUMENT, {
        fields: [{ field: key, problems: ['must be a string'] }],
      });
    }
    params[key] = value;
  }
  return params;
}

const USERINFO_EXAMPLE = {
  schema: {
    example: {
      sub: '0b6c7f5e-…',
      preferred_username: 'alice',
      name: '张三',
      email: 'alice@example.com',
    },
  },
};

@ApiTags('OAuth 2.0 / OpenID Connect')
@Controller('oauth2')
export class OAuth2Controller {
  constructor(
    private readonly grants: GrantRegistry,
    private readonly tokens: TokenService,
    private readonly applications: ApplicationsService,
    private readonly users: UsersService,
  ) {}

  /** RFC 6749 token endpoint; also Tencent CIAM's (OTP grants, `auth_source_id`). */
  @Post('token')
  @HttpCode(200)
  @Auth('client')
  @RateLimit({
    account: bodyField('username', 'email', 'phone_number'),
    // Grants that present a user's credentials (password, one-time code); not machine clients.
    when: (request) => !MACHINE_GRANTS.has(String(bodyField('grant_type')(request))),
  })
  @ApiOperation({
    summary: 'Token endpoint',
    description:
      'Grants: client_credentials (m2m), password, refresh_token (rotating), and Tencent CIAM one-time-code grants ' +
      '(`http://tencentciam.com/oauth2/grant-type/otp/sms|email`, JSON body with phone_number|email, otp_token, otp). ' +
      'Form-encoded or JSON. Errors per RFC 6749 §5.2. A password grant whose password must be changed or has ' +
      'expired (`max_age_days`) still succeeds, with `password_change_required: true`: those tokens (refreshed ones ' +
      'too) work only on password-change endpoints. A password expiring within `expiry_warn_days` adds ' +
      '`password_expires_at`. The `admin` scope is granted only to users with the `admin` role (and to m2m clients).',
  })
  @ApiRateLimited()
  @ApiConsumes('application/x-www-form-urlencoded', 'application/json')
  @ApiBody({ schema: TOKEN_REQUEST_SCHEMA, examples: TOKEN_REQUEST_EXAMPLES })
  @ApiOkResponse({
    schema: {
      example: {
        access_token: 'eyJhbGciOiJFUzI1NiIs…',
        token_type: 'Bearer',
        expires_in: 3600,
        scope: 'openid profile',
        refresh_token: 'u3m…',
        id_token: 'eyJhbGciOiJFUzI1NiIs…',
      },
    },
  })
  @ApiBadRequestResponse({
    schema: {
      example: { error: 'invalid_grant', error_description: 'Invalid username or password.' },
    },
  })
  @ApiUnauthorizedResponse({
    schema: {
      example: { error: 'invalid_client', error_description: 'Client authentication failed.' },
    },
  })
  async token(
    @CurrentClient() client: ClientPrincipal,
    @Body() body: unknown,
    @Res({ passthrough: true }) response: Response,
  ): Promise<TokenResponse> {
    response.setHeader('Cache-Control', 'no-store');
    response.setHeader('Pragma', 'no-cache');
    const params = stringParams(body);
    const handler = this.grants.resolve(params.grant_type);
    return handler.handle(params, await this.applications.require(client.clientId));
  }

  /** RFC 7009. */
  @Post('revoke')
  @HttpCode(200)
  @Auth('client')
  @ApiOperation({
    summary: 'Revoke a refresh or access token (and its session); unknown tokens are ignored',
  })
  @ApiConsumes('application/x-www-form-urlencoded', 'application/json')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['token'],
      properties: {
        token: { type: 'string' },
        token_type_hint: { type: 'string', enum: ['refresh_token', 'access_token'] },
      },
    },
  })
  @ApiOkResponse({ description: 'Revoked, or nothing to revoke' })
  async revoke(@CurrentClient() client: ClientPrincipal, @Body() body: unknown): Promise<void> {
    const params = stringParams(body);
    if (!params.token) {
      throw new IdentityError(IdentityErrorCode.INVALID_ARGUMENT, {
        fields: [{ field: 'token', problems: ['required'] }],
      });
    }
    await this.tokens.revoke(params.token, await this.applications.require(client.clientId));
  }

  /** OpenID Connect Core §5.3: the UserInfo endpoint answers GET and POST alike. */
  @Get('userinfo')
  @Header('Cache-Control', 'no-store')
  @Auth('bearer', { scopes: ['openid'] })
  @ApiOperation({ summary: 'Claims about the signed-in user' })
  @ApiOkResponse(USERINFO_EXAMPLE)
  userinfo(@CurrentUser() principal: UserPrincipal): Promise<Record<string, unknown>> {
    return this.claimsOf(principal);
  }

  @Post('userinfo')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  @Auth('bearer', { scopes: ['openid'] })
  @ApiOperation({ summary: 'Claims about the signed-in user (POST form, OIDC Core §5.3)' })
  @ApiOkResponse(USERINFO_EXAMPLE)
  userinfoByPost(@CurrentUser() principal: UserPrincipal): Promise<Record<string, unknown>> {
    return this.claimsOf(principal);
  }

  private async claimsOf(principal: UserPrincipal): Promise<Record<string, unknown>> {
    const user = principal.user ?? (await this.users.findById(principal.userId));
    if (!user) throw new IdentityError(IdentityErrorCode.TOKEN_INVALID);
    const claims: Record<string, unknown> = { sub: user.id };
    if (principal.scopes.includes('profile'))
      Object.assign(claims, { preferred_username: user.username, name: user.name });
    if (principal.scopes.includes('email')) claims.email = user.email;
    if (principal.scopes.includes('phone')) claims.phone_number = user.phoneNumber;
    return claims;
  }
}
